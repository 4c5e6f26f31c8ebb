/** One problem `behalf doctor` found, with what to do about it. */
export interface DoctorFinding {
  /** `error`: the workspace does not work as written; `warning`: it works but is probably wrong. */
  severity: 'error' | 'warning';
  /** What part of the workspace: `config`, `labels`, `policies`, `sources`, `people`, `documents`, `tools`. */
  area: string;
  message: string;
  /** What to change, concretely (a file and key, a SQL statement). */
  fix: string;
}
