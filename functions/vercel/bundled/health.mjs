// What vercel.json deploys: `npm run vercel-build` (run by @vercel/node before it traces this file)
// writes the bundled, minified function to dist/vercel/, and this file hands it to Vercel's launcher.
// Pointing @vercel/node at functions/vercel/health.ts instead ships each source file transpiled apart
// plus the whole zod package (1.7 MB), loaded at cold start.
export { default } from "../../../dist/vercel/health.mjs";
