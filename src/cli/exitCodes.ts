/**
 * Exit codes of the `hitrank` command line (stable; scripts may rely on them).
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | partial failure: the command finished, but some songs failed (listed; finished work is kept) |
 * | 2 | usage error: unknown command or option, missing or malformed argument (`--segment hl30` without `--highlighter`), or an option this build cannot serve (a missing backend package) |
 * | 3 | bad input: unreadable or invalid manifest / data / model / highlighter file (every bad row is listed; a damaged highlighter folder is named) |
 * | 4 | internal error (a bug: please report it with the output of `HITRANK_DEBUG=1`) |
 * | 130 | interrupted (Ctrl-C / SIGINT, SIGTERM); finished work is kept, rerun to continue |
 *
 * @module
 */
export const EXIT = Object.freeze({
  OK: 0,
  PARTIAL: 1,
  USAGE: 2,
  BAD_INPUT: 3,
  INTERNAL: 4,
  INTERRUPTED: 130,
});

/** The help text describing the exit codes (used by `hitrank --help`). */
export const EXIT_CODES_HELP = `Exit codes:
  0    success
  1    finished, but some songs failed (each is listed; the rest were used)
  2    usage error (unknown command/option, bad or missing argument, e.g.
       --segment hl30 without --highlighter, or an option this build or
       installation cannot serve)
  3    bad input (unreadable or invalid manifest, data, model or
       highlighter file)
  4    internal error (set HITRANK_DEBUG=1 for a stack trace and report it)
  130  interrupted (SIGINT/SIGTERM); finished work (features, evaluated
       folds) is kept, rerun the same command to continue`;
