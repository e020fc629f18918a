/** One structured log line: what happened to one request, never a secret or an email. */
export type LogLine = Record<string, string | number | boolean | undefined>;

export type Logger = (line: LogLine) => void;

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:]+/g;

/** Masks anything shaped like an email address in text that leaves the function. */
export function redactEmails(text: string): string {
  return text.replace(EMAIL, "[email]");
}

/** Lambda, Vercel and Netlify all ship stdout/stderr lines to their log services as they are. */
export const consoleLogger: Logger = (line) => {
  if (line.level === "error") console.error(JSON.stringify(line));
  else console.log(JSON.stringify(line));
};
