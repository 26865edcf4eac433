//! The Tera contexts of the shortcode calls and of the page renders, with what every one of them
//! shares (the site's settings, `provider`, `data`, `materials_cases`, …) serialised once, not once
//! per call or page.
//!
//! Why: `tera::Context::insert` serialises its value into a new `serde_json::Value`, and a context
//! owns its values (cloning one, or `extend`ing from a clone, copies them all). Each shortcode call
//! and each page inserted `data` — every file of `content/_data` — whether or not its template read
//! it, so the CPU grew as data size × calls: 8 MB of data and 8,000 calls took 48 s, 4 MB × 2,000
//! small pages 6.3 s (red-team 5 F2).
//!
//! Now a [`Pool`] keeps contexts with the shared keys already in. A render borrows one
//! ([`Pool::lend`]), sets its own keys on it ([`Lent::insert`]: the page, a shortcode's arguments),
//! and on drop gives it back with those keys taken out again, and any shared value one of them hid
//! (a shortcode argument named `data`) put back by moving it, not copying it. The pool makes a new
//! context only when every one it has is lent, so the shared part is serialised at most once per
//! thread rendering at the same moment ([`Pool::built`] counts it), never per call or page. A
//! template sees the same keys with the same values as before, so the output is the same.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{Map, Value};

/// Contexts holding the shared keys, ready to lend.
#[derive(Debug, Default)]
pub struct Pool {
    spare: Mutex<Vec<tera::Context>>,
    built: AtomicUsize,
}

impl Pool {
    /// A context with the shared keys in: a spare one, or a new one from `build` when all are lent.
    pub fn lend(&self, build: impl FnOnce() -> tera::Context) -> Lent<'_> {
        let spare = self.spare.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let context = spare.unwrap_or_else(|| {
            self.built.fetch_add(1, Ordering::Relaxed);
            build()
        });
        Lent { pool: self, context: Some(context), set: Vec::new() }
    }

    /// How many contexts the pool has built (serialised the shared keys for).
    pub fn built(&self) -> usize {
        self.built.load(Ordering::Relaxed)
    }
}

/// A context lent by a [`Pool`]; the keys set on it are taken out when it is dropped.
#[derive(Debug)]
pub struct Lent<'p> {
    pool: &'p Pool,
    context: Option<tera::Context>,
    /// Each key set, with the value it hid (restored in reverse order).
    set: Vec<(String, Option<Value>)>,
}

impl Lent<'_> {
    /// Sets `key` for this render only (over a shared key of the same name, as `insert` would).
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        let context = self.context.as_mut().expect("lent until dropped");
        let hidden = context.remove(key);
        context.insert(key, value);
        self.set.push((key.to_string(), hidden));
    }

    pub fn context(&self) -> &tera::Context {
        self.context.as_ref().expect("lent until dropped")
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        let Some(mut context) = self.context.take() else { return };
        for (key, hidden) in self.set.drain(..).rev() {
            context.remove(&key);
            if let Some(value) = hidden {
                // `Context::insert` would serialise (copy) the value again; `from_value` moves it.
                let mut one = Map::new();
                one.insert(key, value);
                context.extend(tera::Context::from_value(Value::Object(one)).expect("an object"));
            }
        }
        self.pool.spare.lock().unwrap_or_else(|e| e.into_inner()).push(context);
    }
}

/// The pools of one build: shortcode calls and page renders have different shared keys.
#[derive(Debug, Default)]
pub struct Contexts {
    pub shortcodes: Pool,
    pub pages: Pool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> tera::Context {
        let mut c = tera::Context::new();
        c.insert("data", &serde_json::json!({"big": {"k": "v"}}));
        c.insert("site", &"s");
        c
    }

    #[test]
    fn keys_set_for_one_render_are_gone_and_hidden_shared_ones_are_back() {
        let pool = Pool::default();
        {
            let mut lent = pool.lend(shared);
            lent.insert("page_url", "/a/");
            lent.insert("data", &1);
            assert_eq!(lent.context().get("data"), Some(&Value::from(1)));
            assert_eq!(lent.context().get("page_url"), Some(&Value::from("/a/")));
        }
        let lent = pool.lend(|| unreachable!("the spare one is lent again"));
        assert_eq!(lent.context(), &shared());
        assert_eq!(pool.built(), 1);
    }

    #[test]
    fn a_second_context_is_built_only_while_the_first_is_lent() {
        let pool = Pool::default();
        let a = pool.lend(shared);
        let b = pool.lend(shared);
        assert_eq!(pool.built(), 2);
        drop((a, b));
        for _ in 0..100 {
            let _ = pool.lend(shared);
        }
        assert_eq!(pool.built(), 2);
    }
}
