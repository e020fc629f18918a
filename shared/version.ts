/** This project's version, as in package.json (a test keeps the two equal); shown by /api/health. */
export const VERSION = "0.1.0";
