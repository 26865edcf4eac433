// Loaded by pages with checked fields (and the self-check page): start the validator, then check
// every [data-check] field and form[data-check-form] as it is filled in. Everything runs in this
// tab; nothing typed here is sent or stored.
import init, { attachFieldChecks } from './validator.js';

await init();
// The listeners live as long as this handle: keep it for the page's lifetime.
export const fieldChecks = attachFieldChecks();
document.documentElement.dataset.fieldChecks = 'ready';
