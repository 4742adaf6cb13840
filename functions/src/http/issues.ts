// Turns schema issues into one message that names each offending field.

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
}

function fieldName(path: PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? 'body' : out;
}

function describe(issue: Issue): string {
  const field = fieldName(issue.path);
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `${field} is required`;
  return `${field}: ${issue.message}`;
}

export function describeIssues(issues: readonly Issue[]): string {
  const parts = [...new Set(issues.slice(0, 5).map(describe))];
  return `Invalid request: ${parts.join('; ')}`;
}
