// The text of `loopguard --help` and of each command's `--help`.

export const mainHelp = `Usage: loopguard <command> [options]

Commands:
  check <report.json ...>          print the offenders, exit 1 when a test is over its budget
  merge <report.json ...> -o FILE  merge shard reports into one
  html <report.json ...> -o FILE   write a self-contained HTML page of the run

Run loopguard <command> --help for a command's options.
Exit codes: 0 ok, 1 the check failed, 2 bad input.
`

export const checkHelp = `Usage: loopguard check <report.json ...> [options]

Reads one report, or the reports of every shard of a run, prints the tests that blocked the event loop
and exits 1 when a test is over its budget or, with --baseline, when a test regressed.

Options:
  --budget <ms>             judge again with this budget (tests exempt from budgets stay exempt)
  --baseline <report.json>  fail when a test's longest block grew past the tolerance compared with
                            this report (a test it lacks, or under the threshold there, from 0 ms)
  --tolerance <50%,50ms>    how far a test may grow past the baseline (default: 50 %, at least 50 ms)
  --format <text|json|github>
                            text (default), json, or github: annotations and the job summary
                            (default when GITHUB_ACTIONS=true)
  --top <n>                 rows shown at most (default: the report's top option)
  -h, --help                show this help

Exit codes: 0 ok, 1 the check failed, 2 bad input.
`

export const mergeHelp = `Usage: loopguard merge <report.json ...> -o <merged.json>

Merges the reports of a sharded run into one. A test found in more than one report (a retried shard)
is kept once with its worst figures. Reports of different runners are refused. The output is written
only when every input could be read.

Options:
  -o, --output <merged.json>  where the merged report goes
  -h, --help                  show this help
`

export const htmlHelp = `Usage: loopguard html <report.json ...> [-o <report.html>]

Writes one self-contained HTML page (no network, no external files): the tests ranked by their longest
block against the budget, and a timeline of each offender's blocks with the code that blocked.
Several reports (shards) are merged first.

Options:
  -o, --output <report.html>  where the page goes (default: loopguard-report.html)
  -h, --help                  show this help
`
