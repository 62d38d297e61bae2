/**
 * Bundling alias for `form-data` (axios's multipart encoder, reached through the `razorpay`
 * package). Plato never uploads files to the provider; Node's built-in FormData stands in, and the
 * package with its MIME tables (mime-db, ~130 KB) stays out of the payment functions' bundles.
 */
module.exports = globalThis.FormData;
