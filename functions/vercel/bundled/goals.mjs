// What vercel.json deploys: the bundled, minified function from dist/vercel/ (see payments.mjs).
export { default } from "../../../dist/vercel/goals.mjs";
