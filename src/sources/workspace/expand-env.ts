const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expands `${VAR}` and `${VAR:-default}` from `env` (a shell's rules: the default applies when
 * the variable is unset or empty). Throws naming the variable when one without a default is
 * unset: a source must never silently point somewhere else.
 */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>, where: string): string {
  return text.replace(REFERENCE, (_, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new Error(`${where} uses \${${name}}, which is not set: set it, or write \${${name}:-default}`);
  });
}
