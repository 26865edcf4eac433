//! The filing guide's logic, apart from the rules and from the browser: which filing applies (the
//! question tree of `/wizard/`, [`wizard`]) and which documents to prepare (the materials checklist
//! of `/materials/`, [`materials`]), both read from the site's data files. The site builder uses it
//! natively to check those files; `beian-browser-guide` binds it for the browser.

pub mod materials;
pub mod problem;
pub mod wizard;
