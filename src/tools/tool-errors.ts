/**
 * Thrown by a tool when the principal may not have what was asked (a document they can't read,
 * rows the source refused). The gateway turns it into a `denied` result for the model and a
 * `deny` audit record with these policies.
 */
export class ToolDeniedError extends Error {
  constructor(
    message: string,
    readonly policies: string[] = [],
  ) {
    super(message);
    this.name = 'ToolDeniedError';
  }
}

/** Thrown by a tool whose grant failed verification: the call is refused, never executed. */
export class GrantRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`delegation grant refused: ${reason}`);
    this.name = 'GrantRefusedError';
  }
}
