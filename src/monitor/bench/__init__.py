"""`make bench`: the pipeline's throughput, 304 cycle, memory and growth against trafilatura alone.

- corpus.py, stories.py, markup.py: the local corpus (real pages in place, generated stories)
- site.py: serves it on 127.0.0.1 from a process of its own
- baseline.py: trafilatura alone in a process pool
- cycles.py: real `poll_feeds` flow runs, timed, with their task times
- prefill.py: grows the warehouse for the cost-per-article cycles
- memory.py: peak RSS of the process and its workers
- run.py: the whole bench; report.py: the table and results.json

Run `python -m monitor.bench --help`; bench/README.md explains the results.
"""
