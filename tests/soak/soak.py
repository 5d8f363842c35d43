#!/usr/bin/python3
"""Kill -9 soak of `sluice serve` and `sluice backfill` (make soak; not part of make test).

Phase 1, serve: a data folder with two file flows on a one-second schedule (`every: 1s`), one
with a `run` step whose child carries a marker in its command line, one with two `sql` steps.
`sluice serve --data-dir D` is killed with SIGKILL at SOAK_KILLS random moments over
SOAK_SECONDS and restarted at once each time; then a last server starts (it marks the runs the
killed ones left Crashed), runs a few seconds and stops with SIGTERM. Checked afterwards:

  1. every run is in a final state and no task is left Running or Retrying (a run a killed
     server left unfinished is Crashed, with its running tasks); the last server, stopped
     cleanly, has no Crashed run;
  2. no (flow, fire time) has two scheduled runs;
  3. every fire while a server was up has its run. A file flow's `every:` grid starts when the
     server loads the flow (FLOWS.md), so each server has its own grid; the slots missed while
     no server ran follow the misfire policy, here the default run-once: one run, for the
     latest missed slot, at the server's first check (the rest are logged "missed and not
     run"). Per flow and server: its fire times step by exactly 1 s (nothing skipped, nothing
     twice); its first fire is at most 1 s before the server started and later than the last
     fire the previous servers recorded; its last fire is at most SOAK_SLACK_MS (default 2000)
     before the kill (a fire within that window may die with the process before its run is
     recorded); a server up longer than 5 s fired at least once;
  4. `PRAGMA integrity_check` is "ok" on runs.sqlite and warehouse.sqlite;
  5. no process with the marker is left after a kill (checked before the restart, 2 s at most),
     nor at the end;
  6. the sql flow's rows and runs agree: a Completed run has its row in both tables (the two
     statements are one transaction: both rows or neither), and a row belongs to a run.

Phase 2, backfill: `sluice backfill` of a flow with a `run` step and two `sql` steps (the
second idempotent: a step whose transaction committed just before the kill is recorded Crashed
and runs again, as README says) over
SOAK_BACKFILL_FIRES fire times, killed with SIGKILL at SOAK_BACKFILL_KILLS random moments and
started again, then run to the end. Checked: every run Completed before a kill stays Completed
with its rows (nothing committed lost); the final backfill leaves each fire with one Completed
run and its rows; the two tables hold the same fires (no partial transaction); no task that is
not Completed has an output stored; integrity_check ok; no marker process left.

Prints what it checked and every problem; exit status 0 when there is none.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SLUICE = os.environ.get('SLUICE', os.path.join(ROOT, 'build', 'app', 'sluice'))
SECONDS = float(os.environ.get('SOAK_SECONDS', '600'))
KILLS = int(os.environ.get('SOAK_KILLS', '200'))
SLACK_MS = int(os.environ.get('SOAK_SLACK_MS', '2000'))
BACKFILL_FIRES = int(os.environ.get('SOAK_BACKFILL_FIRES', '120'))
BACKFILL_KILLS = int(os.environ.get('SOAK_BACKFILL_KILLS', '20'))
SEED = int(os.environ.get('SOAK_SEED', str(int(time.time()))))
KEEP = os.environ.get('SOAK_KEEP', '') != ''

FINAL_STATES = {'Completed', 'Failed', 'Cancelled', 'TimedOut', 'Skipped', 'Crashed'}
problems = []


def problem(text):
    problems.append(text)
    print('PROBLEM: ' + text, flush=True)


def now_ms():
    return int(time.time() * 1000)


def sluice(data, *arguments, check=True):
    result = subprocess.run([SLUICE, '--data-dir', data, *arguments], capture_output=True,
                            text=True, timeout=120)
    if check and result.returncode != 0:
        problem('sluice %s exited %d: %s' % (' '.join(arguments), result.returncode,
                                             result.stderr.strip()[-500:]))
    return result


def marker_processes(marker):
    """Processes whose command line holds the marker: {pid: command line}."""
    found = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as f:
                line = f.read().replace(b'\0', b' ').decode('utf-8', 'replace')
            with open('/proc/%s/stat' % entry) as f:
                state = f.read().rsplit(')', 1)[1].split()[0]
        except OSError:
            continue
        if marker in line and state not in ('Z', 'X'):
            found[int(entry)] = line.strip()
    return found


def wait_markers_gone(marker, what, seconds=2.0):
    deadline = time.time() + seconds
    while True:
        left = marker_processes(marker)
        if not left:
            return 0
        if time.time() > deadline:
            problem('%s: %d process(es) with the marker left: %s' % (
                what, len(left), '; '.join('%d %s' % item for item in sorted(left.items())[:3])))
            for pid in left:  # so that the next checks start clean
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            return len(left)
        time.sleep(0.05)


def integrity(path):
    with sqlite3.connect(path) as db:
        result = db.execute('PRAGMA integrity_check').fetchall()
    if result != [('ok',)]:
        problem('integrity_check of %s: %r' % (path, result[:5]))
        return False
    return True


def owner_pid(owner):
    # ProcessIdentity: "bootid:pid:starttime" on Linux.
    parts = owner.split(':')
    try:
        return int(parts[1]) if len(parts) >= 3 else int(parts[0])
    except ValueError:
        return None


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def serve_phase(data, marker):
    write(os.path.join(data, 'flows', 'soak-shell.yaml'), '''\
description: soak - a run step whose child carries a marker
schedule: { every: 1s }
overlap: allow
steps:
  - id: work
    run: [/bin/sh, -c, "sleep 4; echo done", %s]
''' % marker)
    write(os.path.join(data, 'flows', 'soak-sql.yaml'), '''\
description: soak - two sql steps, each one transaction
schedule: { every: 1s }
overlap: allow
steps:
  - id: tables
    sql: |
      create table if not exists soak_a (fire text primary key, run_id integer not null);
      create table if not exists soak_b (fire text primary key, run_id integer not null);
  - id: tick
    sql: |
      insert into soak_a (fire, run_id) values (:run_time, :run_id);
      insert into soak_b (fire, run_id) values (:run_time, :run_id);
''')
    # The built-in flows would reach the network every minute: not part of this soak.
    sluice(data, 'schedule', 'pause', 'btc-update')
    sluice(data, 'schedule', 'pause', 'daily-report')
    check = sluice(data, 'flows', 'check')
    if check.returncode != 0:
        return

    rng = random.Random(SEED)
    kills = sorted(rng.uniform(0.5, SECONDS) for _ in range(KILLS))
    lives = []  # {pid, start, kill}
    logs = os.path.join(data, 'soak-logs')
    os.makedirs(logs, exist_ok=True)
    begin = time.time()
    orphans = 0

    def start():
        log = open(os.path.join(logs, 'serve-%03d.log' % len(lives)), 'w')
        process = subprocess.Popen([SLUICE, '--data-dir', data, 'serve'], stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        lives.append({'pid': process.pid, 'start': now_ms(), 'kill': None, 'exit': None})
        return process

    process = start()
    for index, moment in enumerate(kills):
        delay = begin + moment - time.time()
        if delay > 0:
            time.sleep(delay)
        if process.poll() is not None:
            lives[-1]['exit'] = process.returncode
            problem('server %d (pid %d) ended by itself with %s before kill %d; see %s' % (
                len(lives) - 1, process.pid, process.returncode, index, logs))
        else:
            lives[-1]['kill'] = now_ms()
            process.send_signal(signal.SIGKILL)
            process.wait()
        orphans += wait_markers_gone(marker, 'after kill %d' % (index + 1))
        process = start()
        if (index + 1) % 20 == 0:
            print('  %d kills, %.0f s' % (index + 1, time.time() - begin), flush=True)

    # The last server: marks what the killed one left Crashed, runs a while, stops cleanly.
    time.sleep(4)
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        problem('the last server did not stop within 30 s of SIGTERM')
        process.kill()
        code = process.wait()
    lives[-1]['stop'] = now_ms()
    if code != 0:
        problem('the last server exited %s on SIGTERM' % code)
    orphans += wait_markers_gone(marker, 'after the last server stopped')
    print('serve: %d servers started, %d killed with SIGKILL over %.0f s (seed %d)' % (
        len(lives), sum(1 for life in lives if life['kill']), time.time() - begin, SEED))
    check_serve(data, lives)
    print('serve: marker processes left after kills: %d' % orphans)


def check_serve(data, lives):
    runs_path = os.path.join(data, 'runs.sqlite')
    warehouse_path = os.path.join(data, 'warehouse.sqlite')
    ok_runs = integrity(runs_path)
    ok_warehouse = integrity(warehouse_path)
    print('serve: integrity_check runs.sqlite %s, warehouse.sqlite %s' % (
        'ok' if ok_runs else 'FAILED', 'ok' if ok_warehouse else 'FAILED'))
    db = sqlite3.connect(runs_path)
    runs = db.execute('SELECT id, flow, state, trigger, created_ms, time, owner, message'
                      ' FROM flow_runs ORDER BY id').fetchall()
    tasks = db.execute('SELECT run_id, task, state, output FROM task_runs').fetchall()
    db.close()
    life_of_pid = {life['pid']: i for i, life in enumerate(lives)}
    last = len(lives) - 1

    # 1. final states; Crashed for what a killed server left.
    not_final = [r for r in runs if r[2] not in FINAL_STATES]
    for r in not_final[:5]:
        problem('run %d of %s is left %s' % (r[0], r[1], r[2]))
    # A task still waiting (Scheduled, Pending) in a finished run never started: only Running
    # and Retrying ones are left behind.
    tasks_not_final = [t for t in tasks if t[2] in ('Running', 'Retrying')]
    for t in tasks_not_final[:5]:
        problem('task %s of run %d is left %s' % (t[1], t[0], t[2]))
    crashed = sum(1 for r in runs if r[2] == 'Crashed')
    unknown_owner = [r for r in runs if owner_pid(r[6]) not in life_of_pid]
    for r in unknown_owner[:5]:
        problem('run %d has an owner no server of the soak had: %r' % (r[0], r[6]))
    print('serve: %d runs (%d Crashed), %d tasks; not final: %d runs, %d tasks' % (
        len(runs), crashed, len(tasks), len(not_final), len(tasks_not_final)))

    # 2. one run per (flow, fire time).
    scheduled = [r for r in runs if r[3] == 'schedule']
    seen = {}
    twice = 0
    for r in scheduled:
        key = (r[1], r[5])
        if key in seen:
            twice += 1
            if twice <= 5:
                problem('%s fire %d has runs %d and %d' % (r[1], r[5], seen[key], r[0]))
        seen[key] = r[0]
    print('serve: %d scheduled runs, fire times with two runs: %d' % (len(scheduled), twice))

    # 3. every fire while a server was up has its run.
    gaps = late_starts = early_ends = silent = 0
    margins = []
    for flow in ('soak-shell', 'soak-sql'):
        previous_created = None  # created_ms of the flow's last scheduled run so far (by id)
        by_life = {}
        for r in scheduled:
            if r[1] == flow:
                by_life.setdefault(life_of_pid.get(owner_pid(r[6])), []).append(r)
        for i, life in enumerate(lives):
            mine = sorted(by_life.get(i, []), key=lambda r: r[0])
            end = life['kill'] or life.get('stop')
            if not mine:
                if end and end - life['start'] > 5000:
                    silent += 1
                    problem('%s: server %d was up %.1f s and fired nothing' % (
                        flow, i, (end - life['start']) / 1000))
                continue
            times = sorted(r[5] for r in mine)
            for a, b in zip(times, times[1:]):
                if b - a != 1000:
                    gaps += 1
                    if gaps <= 5:
                        problem('%s: server %d fired %d then %d (step %d ms, not 1000)' % (
                            flow, i, a, b, b - a))
            # Run-once: the slots missed while no server ran give one run, for the latest of
            # them, at the first check; so the first fire is at most 1 s before the server
            # started, and after what the previous servers handled.
            if times[0] < life['start'] - 1000 or (
                    previous_created is not None and times[0] <= previous_created):
                late_starts += 1
                if late_starts <= 5:
                    problem('%s: server %d (started %d) first fired %d; the previous servers '
                            'handled up to %s' % (flow, i, life['start'], times[0],
                                                  previous_created))
            if life['kill']:
                margin = life['kill'] - times[-1]
                margins.append(margin)
                if margin > SLACK_MS:
                    early_ends += 1
                    if early_ends <= 5:
                        problem('%s: server %d last fired %d ms before it was killed' % (
                            flow, i, margin))
            previous_created = max(mine, key=lambda r: r[0])[4]
    margins.sort()
    if margins:
        print('serve: last fire before a kill: median %d ms, max %d ms' % (
            margins[len(margins) // 2], margins[-1]))
    print('serve: fires skipped inside a server: %d; restarts whose first fire was wrong: %d; servers '
          'that stopped firing > %d ms before the kill: %d; servers up > 5 s that never fired: %d'
          % (gaps, late_starts, SLACK_MS, early_ends, silent))

    # 6. the sql flow's rows and runs agree.
    wdb = sqlite3.connect(warehouse_path)
    try:
        rows_a = dict(wdb.execute('SELECT fire, run_id FROM soak_a').fetchall())
        rows_b = dict(wdb.execute('SELECT fire, run_id FROM soak_b').fetchall())
    except sqlite3.Error as error:
        problem('the sql flow stored nothing: %s' % error)
        rows_a, rows_b = {}, {}
    wdb.close()
    if rows_a != rows_b:
        problem('soak_a and soak_b differ: a partial transaction (%d vs %d rows)' % (
            len(rows_a), len(rows_b)))
    run_by_id = {r[0]: r for r in runs}
    tick_state = {t[0]: t[2] for t in tasks if t[1] == 'tick'}
    lost = [r for r in scheduled if r[1] == 'soak-sql' and r[2] == 'Completed'
            and r[0] not in rows_a.values()]
    for r in lost[:5]:
        problem('run %d of soak-sql Completed but its rows are missing' % r[0])
    strays = [run_id for run_id in rows_a.values()
              if run_id not in run_by_id or run_by_id[run_id][1] != 'soak-sql']
    for run_id in strays[:5]:
        problem('a soak row names run %d, which is no soak-sql run' % run_id)
    failed = [r for r in scheduled if r[1] == 'soak-sql' and r[2] == 'Failed']
    for r in failed[:5]:
        problem('run %d of soak-sql Failed: %s' % (r[0], r[7]))
    print('serve: soak-sql: %d rows, %d Completed runs without rows, %d rows without a run, '
          '%d Failed runs; tick steps Completed: %d' % (
              len(rows_a), len(lost), len(strays), len(failed),
              sum(1 for s in tick_state.values() if s == 'Completed')))
    crashed_wrong = [r for r in runs if r[2] == 'Crashed'
                     and life_of_pid.get(owner_pid(r[6])) == last]
    for r in crashed_wrong[:5]:
        problem('run %d of the last, cleanly stopped server is Crashed' % r[0])


def backfill_phase(data, marker):
    write(os.path.join(data, 'flows', 'soak-fill.yaml'), '''\
description: soak - a backfilled flow, a run step then two sql steps
schedule: { cron: "* * * * *" }
steps:
  - id: work
    run: [/bin/sh, -c, "sleep 1; echo ok", %s]
  - id: tables
    sql: |
      create table if not exists fill_a (fire text primary key, run_id integer not null);
      create table if not exists fill_b (fire text primary key, run_id integer not null);
  - id: store
    sql: |
      insert or replace into fill_a (fire, run_id) values (:run_time, :run_id);
      insert or replace into fill_b (fire, run_id) values (:run_time, :run_id);
''' % marker)
    sluice(data, 'schedule', 'pause', 'soak-fill')
    start = 1764979200  # 2025-12-06T00:00Z; one fire a minute
    iso = lambda s: time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(s))
    frm, to = iso(start), iso(start + 60 * BACKFILL_FIRES)
    command = [SLUICE, '--data-dir', data, 'backfill', 'soak-fill', '--from', frm, '--to', to,
               '--parallel', '2']
    rng = random.Random(SEED + 1)
    runs_path = os.path.join(data, 'runs.sqlite')
    warehouse_path = os.path.join(data, 'warehouse.sqlite')
    committed = {}  # run id -> fire, Completed before some kill
    kills = 0
    orphans = 0
    for attempt in range(BACKFILL_KILLS):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   stdin=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 3.0))
        if process.poll() is not None:
            break  # done before this kill
        process.send_signal(signal.SIGKILL)
        process.wait()
        kills += 1
        orphans += wait_markers_gone(marker, 'after backfill kill %d' % kills)
        db = sqlite3.connect(runs_path)
        for run_id, fire in db.execute("SELECT id, time FROM flow_runs WHERE flow = 'soak-fill'"
                                       " AND state = 'Completed'"):
            committed[run_id] = fire
        db.close()
    final = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if final.returncode != 0:
        problem('the last backfill exited %d: %s' % (final.returncode,
                                                     final.stderr.strip()[-500:]))
    orphans += wait_markers_gone(marker, 'after the last backfill')
    print('backfill: %d fires, killed %d times with SIGKILL, then run to the end' % (
        BACKFILL_FIRES, kills))

    ok_runs = integrity(runs_path)
    ok_warehouse = integrity(warehouse_path)
    db = sqlite3.connect(runs_path)
    runs = db.execute("SELECT id, state, time FROM flow_runs WHERE flow = 'soak-fill'").fetchall()
    tasks = db.execute("SELECT t.run_id, t.task, t.state, t.output FROM task_runs t JOIN flow_runs"
                       " r ON r.id = t.run_id WHERE r.flow = 'soak-fill'").fetchall()
    db.close()
    wdb = sqlite3.connect(warehouse_path)
    rows_a = dict(wdb.execute('SELECT fire, run_id FROM fill_a').fetchall())
    rows_b = dict(wdb.execute('SELECT fire, run_id FROM fill_b').fetchall())
    wdb.close()
    state = {r[0]: r[1] for r in runs}
    lost = [run_id for run_id in committed if state.get(run_id) != 'Completed']
    for run_id in lost[:5]:
        problem('backfill run %d was Completed before a kill and is now %s' % (
            run_id, state.get(run_id)))
    lost_rows = [run_id for run_id in committed if run_id not in rows_a.values()]
    for run_id in lost_rows[:5]:
        problem('backfill run %d was Completed before a kill; its rows are gone' % run_id)
    fires = [(start + 60 * i) * 1000 for i in range(BACKFILL_FIRES)]
    completed = {}
    for run_id, s, fire in runs:
        if s == 'Completed':
            completed.setdefault(fire, []).append(run_id)
    missing = [f for f in fires if f not in completed]
    doubled = [f for f, ids in completed.items() if len(ids) > 1]
    for f in missing[:5]:
        problem('backfill fire %s has no Completed run' % iso(f // 1000))
    for f in doubled[:5]:
        problem('backfill fire %s has Completed runs %s' % (iso(f // 1000), completed[f]))
    if rows_a != rows_b:
        problem('fill_a and fill_b differ: a partial transaction (%d vs %d rows)' % (
            len(rows_a), len(rows_b)))
    if len(rows_a) != BACKFILL_FIRES:
        problem('fill_a holds %d rows for %d fires' % (len(rows_a), BACKFILL_FIRES))
    partial = [t for t in tasks if t[2] != 'Completed' and t[3] not in (None, '')]
    for t in partial[:5]:
        problem('task %s of backfill run %d is %s but has an output stored: %r' % (
            t[1], t[0], t[2], t[3][:80]))
    not_final = [r for r in runs if r[1] not in FINAL_STATES]
    for r in not_final[:5]:
        problem('backfill run %d is left %s' % (r[0], r[1]))
    print('backfill: %d runs; Completed before a kill: %d, of them lost: %d (rows lost: %d); '
          'fires without a Completed run: %d, with two: %d; rows %d/%d; outputs of unfinished '
          'tasks: %d; not final: %d; integrity_check %s, %s; marker processes left: %d' % (
              len(runs), len(committed), len(lost), len(lost_rows), len(missing), len(doubled),
              len(rows_a), len(rows_b), len(partial), len(not_final),
              'ok' if ok_runs else 'FAILED', 'ok' if ok_warehouse else 'FAILED', orphans))


def main():
    if not os.access(SLUICE, os.X_OK):
        print('no sluice binary at %s: run make build first' % SLUICE, file=sys.stderr)
        return 2
    data = tempfile.mkdtemp(prefix='sluice-soak-')
    marker = 'sluice-soak-child-%d-%d' % (os.getpid(), SEED)
    print('soak: %s, data folder %s, SOAK_SECONDS=%g SOAK_KILLS=%d SOAK_SEED=%d' % (
        SLUICE, data, SECONDS, KILLS, SEED), flush=True)
    serve_phase(data, marker)
    backfill_phase(data, marker)
    if problems:
        print('soak: %d problem(s); data folder kept: %s' % (len(problems), data))
        return 1
    print('soak: no problem')
    if not KEEP:
        subprocess.run(['rm', '-rf', data])
    return 0


if __name__ == '__main__':
    sys.exit(main())
