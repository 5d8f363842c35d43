<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Sluice::AlertNotifier</name>
    <message>
        <source>an alert for this flow was sent at %1; the next may go after %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice: flow &quot;%1&quot; run %2 ended %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow: %1
Run: %2
State: %3
Started: %4
Ended: %5
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed task: %1
Error: %2
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last log lines:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent by Sluice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alerts are on but no recipients are configured (report.recipients)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::BackfillDialog</name>
    <message>
        <source>Backfill %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many runs of the backfill run at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;To (not included):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Parallel runs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fire time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%v of %m runs ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel &amp;backfill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start nothing more and cancel the runs in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the completed runs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no schedule to take fire times from; set one with Edit schedule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To must be later than From.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completed before: skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to run</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n fire time(s); reading the completed runs…</source>
        <translation>
            <numerusform>%n fire time; reading the completed runs…</numerusform>
            <numerusform>%n fire times; reading the completed runs…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n fire time(s): %1 to run, %2 completed before</source>
        <translation>
            <numerusform>%n fire time: %1 to run, %2 completed before</numerusform>
            <numerusform>%n fire times: %1 to run, %2 completed before</numerusform>
        </translation>
    </message>
    <message>
        <source>local %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backfill cancelled from the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backfill running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backfill of %1 is still running. Cancel its runs and close?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1: running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 completed, %2 did not, %3 not run, %4 skipped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backfill was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::BackfillPlan</name>
    <message>
        <source>the end must be later than the start</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::BinanceClient</name>
    <message numerus="yes">
        <source>%1 (none in any of %n requests)</source>
        <translation>
            <numerusform>%1 (none in any of %n requests)</numerusform>
            <numerusform>%1 (none in any of %n requests)</numerusform>
        </translation>
    </message>
    <message>
        <source>unsupported kline interval &quot;%1&quot; (one of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no %1 kline starts in [%2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty response: no klines in [%1, %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a JSON array of klines, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kline %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open time %1 is before the requested start %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate open time %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open time %1 comes before the previous kline&apos;s %2 (out of order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected at least 7 fields, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 is not a whole number of milliseconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2, expected a decimal string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; is not a decimal number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; is not positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open time %1 is not a multiple of %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close time %1 is not after open time %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prices are inconsistent: open %1, high %2, low %3, close %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::BtcBackfillFlow</name>
    <message>
        <source>days must be 0 (since the last stored slot) or more, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the last stored slot is %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fills the warehouse with BTC price, hash rate and difficulty since the last stored slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fill the last N days; 0: since the last stored slot, or 30 days on an empty warehouse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be unix seconds or a time such as 2024-03-08T00:00:00Z, not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give from (and to, if not up to now) or days, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from and to span more than %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fill the slots from this time (unix seconds or ISO 8601, e.g. 2024-03-08T00:00:00Z) instead of days; empty: not used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with from: the end of the slots, exclusive; empty: up to the current slot</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::BtcPipeline</name>
    <message numerus="yes">
        <source>%1: the server asks to wait %n s before the next request</source>
        <translation>
            <numerusform>%1: the server asks to wait %n s before the next request</numerusform>
            <numerusform>%1: the server asks to wait %n s before the next request</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>fetching %n kline(s) from %1 to %2 in %3 request(s)</source>
        <translation>
            <numerusform>fetching %n kline from %1 to %2 in %3 request</numerusform>
            <numerusform>fetching %n klines from %1 to %2 in %3 requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>received %n kline(s)</source>
        <translation>
            <numerusform>received %n kline</numerusform>
            <numerusform>received %n klines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>received %n daily hash rate(s) for the period %1</source>
        <translation>
            <numerusform>received %n daily hash rate for the period %1</numerusform>
            <numerusform>received %n daily hash rates for the period %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>received %n difficulty adjustment(s) for the period %1</source>
        <translation>
            <numerusform>received %n difficulty adjustment for the period %1</numerusform>
            <numerusform>received %n difficulty adjustments for the period %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>stored %n new row(s) in %1: %2 prices, %3 hash rates, %4 difficulties, %5 clean rows</source>
        <translation>
            <numerusform>stored %n new row in %1: %2 prices, %3 hash rates, %4 difficulties, %5 clean rows</numerusform>
            <numerusform>stored %n new rows in %1: %2 prices, %3 hash rates, %4 difficulties, %5 clean rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n slot(s) to fill, from %1 to %2</source>
        <translation>
            <numerusform>%n slot to fill, from %1 to %2</numerusform>
            <numerusform>%n slots to fill, from %1 to %2</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing to load: the warehouse is up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the warehouse is up to date: nothing to fetch</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: the server asks to wait %n s, more than %2 (%3 s)</source>
        <translation>
            <numerusform>%1: the server asks to wait %n s, more than %2 (%3 s)</numerusform>
            <numerusform>%1: the server asks to wait %n s, more than %2 (%3 s)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>aligned %n slot(s): %1 prices, %2 hash rates, %3 difficulties</source>
        <translation>
            <numerusform>aligned %n slot: %1 prices, %2 hash rates, %3 difficulties</numerusform>
            <numerusform>aligned %n slots: %1 prices, %2 hash rates, %3 difficulties</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::BtcUpdateFlow</name>
    <message>
        <source>Stores the current slot of BTC price, hash rate and difficulty</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ChartsView</name>
    <message>
        <source>Price (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hash rate (EH/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Difficulty (T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drag to zoom, right-click or Reset zoom to zoom out, wheel to zoom, arrow keys to pan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to chart yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (local)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>price %1 USD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash rate %1 EH/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>difficulty %1 T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save chart as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts show the clean table once flows have loaded data. Run the btc-backfill flow to load the last 30 days.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show btc-backfill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image could not be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save the chart to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chart saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash rate %1 H/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>difficulty %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2 (%3 UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s), min/max per pixel</source>
        <translation>
            <numerusform>%1 row, min/max per pixel</numerusform>
            <numerusform>%1 rows, min/max per pixel</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s)</source>
        <translation>
            <numerusform>%1 row</numerusform>
            <numerusform>%1 rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::ChildProcess</name>
    <message>
        <source>no program to run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the working directory does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>program not found on the PATH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot make a pipe: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exited %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>killed by signal %1 (SIG%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>killed by signal %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ColumnFilter</name>
    <message>
        <source>unexpected text after the closing quote: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the quote opened in %1 is not closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 seconds since 1970 is outside the years 1 to 9999</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a date and time (yyyy-MM-dd HH:mm:ss, yyyy-MM-dd HH:mm, yyyy-MM-dd, yyyy-MM) or seconds since 1970</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” needs a value after it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a range needs a start, an end or both: a..b, a.. or ..b</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the range %1..%2 is empty: its start is after its end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” holds no value</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CommandLine</name>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n attempt</numerusform>
            <numerusform>%n attempts</numerusform>
        </translation>
    </message>
    <message>
        <source>run one flow now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write CSV of a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show and edit schedules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show and edit settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>email the full CSV report now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice runs, schedules and watches local ETL jobs. Without a command it opens the window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The command to run; see below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A flow parameter (run).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output file, - for standard output (export).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First timestamp, inclusive (export).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last timestamp, exclusive (export).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave out the header line (export).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of fire times (schedule next).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IANA time zone of a schedule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interval schedule such as 90s, 5m, 2h (schedule set).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skip, run-once or catch-up (schedule set).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the option &quot;%1&quot; does not apply to &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data folder to use (default: %1, or $%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the interface: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: %1 [options] [command] [arguments]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try &quot;%1 --help&quot; for the commands and options.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not available yet in this version of Sluice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown language &quot;%1&quot;; the languages are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read standard input: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the password is too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the password must be a single line; standard input has more than one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the password is empty; nothing was stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the password contains a NUL character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the password is not valid UTF-8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--store must be &quot;keyring&quot; or &quot;file&quot;, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP password: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP password for %1: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot store the SMTP password: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To keep it in the file %1 instead, readable only by you, run: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP password stored in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a subcommand is needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;list&quot; takes no arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;get&quot; takes one KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;set&quot; takes a KEY and one VALUE (quote a value with spaces)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note: %1 is overridden here by the %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;unset&quot; takes one KEY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown subcommand &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice export -o FILE [--start TS] [--end TS] [--table NAME] [--delimiter C] [--no-header]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an output file is needed: -o FILE, or -o - for standard output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 &quot;%2&quot; is not a time: give unix seconds or ISO 8601 such as 2024-03-08T00:00:00Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write to standard output: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>standard output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote 1 row to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1 rows to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DESCRIPTION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SCHEDULE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NEXT FIRE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LAST RUN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (run %2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run &quot;sluice serve&quot; for the scheduler without a window, or &quot;sluice --help&quot; for the commands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice cannot start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data folder cannot be used.

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another process schedules this data folder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice was closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of flow &quot;%2&quot; completed in %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of flow &quot;%2&quot; ended %3 after %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed task: %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the name of a flow is needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one flow at a time; parameters go with --param NAME=VALUE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown flow &quot;%1&quot;; the flows are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert emailed to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no alert sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the alert could not be sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 of flow &quot;%2&quot; started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(attempt %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 received: cancelling the run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice schedule next &quot;CRON&quot; | --every INTERVAL [--from ISO8601] [--count N] [--tz ZONE]
       sluice schedule list
       sluice schedule set FLOW &quot;CRON&quot; | --every INTERVAL [--tz ZONE] [--misfire skip|run-once|catch-up]
       sluice schedule pause FLOW | resume FLOW | clear FLOW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the option &quot;--%1&quot; does not apply to &quot;schedule %2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an ISO 8601 date and time, such as 2024-03-08T16:50:00Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give either a cron expression or --every, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--count: &quot;%1&quot; is not a whole number from 1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, misfire %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>next %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No schedules. Set one with: sluice schedule set FLOW &quot;CRON&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FLOW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ZONE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MISFIRE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NEXT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;set&quot; takes a FLOW and a cron expression or --every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a cron expression (quoted) or --every is needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; takes one FLOW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: schedule cleared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a subcommand is needed: next, list, set, pause, resume or clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;send-report&quot; takes no arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice send-report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report sent (run %1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the report was not sent (run %1 ended %2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;serve&quot; takes no arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another scheduler drives this data folder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2, next %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no schedules; set one with: sluice schedule set FLOW &quot;CRON&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schedules: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fired %1 for %2: run %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not start %1 for %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: slots between %2 and %3 were missed and not run (misfire policy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 of %2 ended %3 after %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert for run %1 of %2 emailed to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no alert for run %1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the alert for run %1 of %2 could not be sent: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 received: stopping (%2 run(s) to cancel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled by %1: sluice serve is stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sluice serve started on %1 (process %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sluice serve stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field delimiter (export): one character other than a letter, a digit, . + - &quot; &apos;, or tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--delimiter &quot;%1&quot; is refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 received: already stopping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 received: closing (%2 run(s) to cancel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled by %1: Sluice is closing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list flows; check, create and show flow files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shell, sql, http-to-table, csv-import or export-email (flows new).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print a Graphviz graph (flows show).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no flow files in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n flow file(s) checked</source>
        <translation>
            <numerusform>%n flow file checked</numerusform>
            <numerusform>%n flow files checked</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n invalid</source>
        <translation>
            <numerusform>%n invalid</numerusform>
            <numerusform>%n invalid</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message>
        <source>Usage: sluice flows
       sluice flows check [FILE ...]
       sluice flows new NAME [--template %1]
       sluice flows show FLOW [--dot]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the option &quot;--%1&quot; does not apply to &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown subcommand &quot;%1&quot;; &quot;flows&quot; takes check, new or show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid file: %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice flows new NAME [--template %1]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give one flow name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>built-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flow %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>description: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schedule: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>params: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>steps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>needs %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give one flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice flows show FLOW [--dot]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not pass the check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown flow &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice backfill FLOW --from ISO8601 --to ISO8601 [--parallel N] [--dry-run]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one FLOW is needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--from and --to are needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--to must be later than --from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--parallel must be a whole number in 1..%1, not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flow &quot;%1&quot; has no schedule to take fire times from; set one with: sluice schedule set %1 &quot;CRON&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skip: a run of it completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backfill of &quot;%1&quot;: %2 fire times in [%3, %4), %5 completed before, %6 to run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 %2 (%3 of %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 received: cancelling the backfill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backfill of &quot;%1&quot;: %2 completed, %3 did not, %4 not run, %5 skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list recent runs; show one run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run a run again, reusing the steps that completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run a flow once for each of its fire times in a range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs at once (backfill; default 1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the fire times and what would run, run nothing (backfill).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run&apos;s logical time, e.g. 2026-12-06T06:30:00Z or 2026-12-06 (run).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only runs in this state, e.g. Failed; may be repeated (runs).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most N runs (runs; default 20).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rerun every step, reusing none (retry).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flow file of &quot;%1&quot; has errors; it cannot run until they are fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice retry RUN_ID [--all]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one run id is needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a run id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no run %1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 is still in progress (%2); retry it once it ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 is of flow &quot;%2&quot;, which no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice run FLOW [--param NAME=VALUE ...] [--time ISO8601]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice runs [FLOW] [--state S] [--limit N] | runs show RUN_ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one flow at a time, or &quot;show RUN_ID&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--limit: &quot;%1&quot; is not a whole number of at least 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--state: unknown state &quot;%1&quot;; the states are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RUN TIME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DURATION</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice runs show RUN_ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of flow &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run time:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Definition:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sha256 %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry of:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STEP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ATTEMPTS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ERROR OR OUTPUT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no lines)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flow files reloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a time such as 2026-12-06T06:30:00Z, 2026-12-06T08:30:00+02:00 or 2026-12-06</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list the slots missing from the slotted tables, as half-open ranges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table to export (export); slotted table to look at (gaps).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start time for the preview (schedule next); first fire time, inclusive (backfill); start of the slots looked at, inclusive (gaps).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End of the fire times, exclusive (backfill); end of the slots looked at, exclusive (gaps).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text, csv or json (gaps; default text). A gap is FIRST MISSING up to END, the first slot after it (half-open).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice gaps [--table T] [--from ISO8601] [--to ISO8601] [--format text|csv|json]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TABLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SERIES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIMEFRAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FIRST MISSING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>END (EXCLUSIVE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SLOTS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--format: &quot;%1&quot; is not text, csv or json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--from must be before --to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--table: &quot;%1&quot; is not a slotted table; the warehouse has none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--table: &quot;%1&quot; is not a slotted table (one with timeframe and start_timestamp columns); they are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No gaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show which run store is used (sqlite or PostgreSQL) and check it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown argument &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice store [check] [--store URL]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>store: sqlite, %1 (from %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>store: %1 (from %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the store&apos;s schema is version %2, newer than this Sluice knows (%3): update Sluice on this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server: PostgreSQL %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema: none yet; the first sluice serve on this store creates it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schema: version %1 (this Sluice: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (process %2, beat %3 s ago, %4 of %5 slots busy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>workers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queue: %1 scheduled, %2 running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run the scheduler without a window; with a PostgreSQL store, as a fleet worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keyring or file (config set-password); the run store, sqlite or postgresql://user@host[:port]/database (store, serve, runs).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs a fleet worker runs at once (serve on a PostgreSQL store; default 4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice config list | get KEY | set KEY VALUE | unset KEY | set-password [smtp|store] [--store keyring|file]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;set-password&quot; takes smtp (the default) or store, and reads the password from standard input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store password: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot store the store password: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>store password stored in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the store has no run history yet: no worker has used it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the store&apos;s schema is version %1, newer than this Sluice knows (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this worker leads the fleet: it queues the schedules&apos; fires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this worker no longer leads the fleet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claimed run %1 of %2 (attempt %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>claimed run %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected to the store again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worker %1 was presumed dead by the fleet and its runs handed on; registered again as worker %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancel of run %1 asked through the store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: sluice serve [--store URL] [--slots N]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--slots takes a number of runs at once from 1 to 256, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--slots is for a fleet worker on a PostgreSQL store (--store URL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 for %2 is queued already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worker %1 of the fleet on %2, %3 slot(s) (%4)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CompareDialog</name>
    <message>
        <source>Compare %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yours (not saved)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CredentialFile</name>
    <message>
        <source>the credentials file is a symbolic link; refusing to use it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the credentials file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the credentials file is not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the credentials file belongs to another user (uid %1); refusing to use it. Store the password again with &quot;sluice config set-password --store file&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the credentials file can be accessed by other users (mode %1); refusing to use it. Make it readable only by you with: chmod 600 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the credentials file is too large to hold a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the credentials file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the credentials file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot remove the credentials file: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CredentialStore</name>
    <message>
        <source>no keyring answered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (readable only by you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CronExpression</name>
    <message numerus="yes">
        <source>every %n minutes</source>
        <translation>
            <numerusform>every %n minute</numerusform>
            <numerusform>every %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>empty list item in &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; has more than one &quot;/&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; has nothing before &quot;/&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no step after &quot;/&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step &quot;%1&quot; in &quot;%2&quot; is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step 0 in &quot;%1&quot; (a step must be at least 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1 in &quot;%2&quot; is larger than %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>range &quot;%1&quot; is backwards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is out of range %2-%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown name &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a number or a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the cron expression is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown macro &quot;%1&quot;; the macros are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected 5 fields, got %1: &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the expression never fires: no month in &quot;%1&quot; has a day in &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the cron expression is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the start time is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the time zone is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the expression never fires in the %1 years after %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Friday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>January</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>February</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>March</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>April</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>May</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>June</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>July</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>August</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>September</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>October</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>November</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>December</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every hour at minute %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1 every day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1 every %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1, %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1 on day %2 of every month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at %1 on %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>day-of-month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>day-of-week</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CsvExporter</name>
    <message>
        <source>SQLite error in &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot list the tables: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the columns of table %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the warehouse does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot start reading: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown table &quot;%1&quot;; the tables are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the range is empty: the start %1 is not before the end %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot count the rows of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the CSV: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the rows: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the export was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown table &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a delimiter is one ASCII character other than a letter, a digit, &quot;.&quot;, &quot;+&quot;, &quot;-&quot;, a quote (&quot; or &apos;), CR, LF or NUL; &quot;tab&quot; or &quot;\t&quot; stands for a tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite error in the query: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the query must be one statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the query must be a SELECT that only reads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the query&apos;s parameter %1 has no value; these do: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CsvOutputFile</name>
    <message>
        <source>cannot write the CSV file: it is a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the CSV file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open it for writing: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the CSV file: it was replaced while being opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the CSV file: %1 is not a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the CSV file: the folder %1 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create a file in the folder %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the CSV file: %1 is no longer a regular file, so it was left as it is</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CsvReader</name>
    <message>
        <source>cannot open the CSV file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the CSV file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: a quoted field is never closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: text after the closing quote of field %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CsvWriter</name>
    <message>
        <source>the output took no more data</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::DailyReportFlow</name>
    <message numerus="yes">
        <source>exported %n row(s) of %1</source>
        <translation>
            <numerusform>exported %n row of %1</numerusform>
            <numerusform>exported %n rows of %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The BTC price and network metrics (%1), %n row(s), are attached as CSV.

Sent by Sluice.</source>
        <translation>
            <numerusform>The BTC price and network metrics (%1), %n row, are attached as CSV.

Sent by Sluice.</numerusform>
            <numerusform>The BTC price and network metrics (%1), %n rows, are attached as CSV.

Sent by Sluice.</numerusform>
        </translation>
    </message>
    <message>
        <source>no report recipients are configured (set them with: sluice config set report.recipients ADDRESS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice report: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>emailed %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a day such as 2024-03-08, nor &quot;all&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Emails the previous UTC day (or --param day=YYYY-MM-DD, or all) as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the UTC day to send, YYYY-MM-DD, or &quot;all&quot;; empty: yesterday</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::DataFolder</name>
    <message>
        <source>no data folder given and no home folder to put one in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot use the data folder: it exists and is not a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the data folder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write in the data folder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not UTF-8 text; Sluice reads folder names as UTF-8 and would use another folder than this one. Rename the folder, or choose one whose name is UTF-8</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::DataView</name>
    <message>
        <source>Clear filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The warehouse is empty. Run the btc-backfill flow to load the last 30 days of price, hash rate and difficulty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting rows…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show btc-backfill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected rows are not one block, so the whole view is exported. To export only some rows, select one block of adjacent rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Copied %n row(s).</source>
        <translation>
            <numerusform>Copied %n row.</numerusform>
            <numerusform>Copied %n rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n row(s); %1 more are not loaded: scroll to them or use Export CSV….</source>
        <translation>
            <numerusform>Copied %n row; %1 more are not loaded: scroll to them or use Export CSV….</numerusform>
            <numerusform>Copied %n rows; %1 more are not loaded: scroll to them or use Export CSV….</numerusform>
        </translation>
    </message>
    <message>
        <source>Rows %1–%2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty every filter box (Escape empties the focused one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A date and time: 2024-01-05 (the whole day), &gt;=2024-01-05 10:00, 2024-01..2024-03, &lt;1704412800 (Unix seconds), NULL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A number: 42, &gt;100, &lt;=5e20, 100..200 (both included), !=0, NULL, !NULL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text: abc (contains), =abc (exactly), !=abc, &gt;m, NULL, !NULL, &quot;=abc&quot; (contains =abc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rows are still being counted; try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No row is at or after %1: the last row is before it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1
%2 row(s)</source>
        <translation>
            <numerusform>%1
%2 row</numerusform>
            <numerusform>%1
%2 rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s)</source>
        <translation>
            <numerusform>%1 row</numerusform>
            <numerusform>%1 rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::DefaultSchedules</name>
    <message>
        <source>could not write the schedules file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::DefinitionDialog</name>
    <message>
        <source>Definition of run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
SHA-256 %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::DemoFlow</name>
    <message numerus="yes">
        <source>read batch %1 of %2 (%n rows)</source>
        <translation>
            <numerusform>read batch %1 of %2 (%n row)</numerusform>
            <numerusform>read batch %1 of %2 (%n rows)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>merged %n row(s)</source>
        <translation>
            <numerusform>merged %n row</numerusform>
            <numerusform>merged %n rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>report: %n row(s) merged</source>
        <translation>
            <numerusform>report: %n row merged</numerusform>
            <numerusform>report: %n rows merged</numerusform>
        </translation>
    </message>
    <message>
        <source>Tries the engine: two tasks in parallel, a merge, a report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>make the merge task fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>how long each task works, in milliseconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled before the merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>giving up: the failure was requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo failure requested by the parameter fail=true</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled before the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>cancelled after %n batch(es)</source>
        <translation>
            <numerusform>cancelled after %n batch</numerusform>
            <numerusform>cancelled after %n batches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::DiskChangeBar</name>
    <message>
        <source>Reload (discard my edits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file changed on disk. Your edits are kept until you choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file was deleted on disk. Save writes it again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::EmailStep</name>
    <message>
        <source>no settings to send mail with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no recipients: give `to`, or set them with: sluice config set report.recipients ADDRESS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice flow %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>emailed &quot;%1&quot; to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Engine</name>
    <message>
        <source>Sluice is shutting down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice shut down while the task was running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown flow &quot;%1&quot;; no flow is registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown flow &quot;%1&quot;; the flows are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flow &quot;%1&quot; is already running (run %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled by the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run of flow &quot;%1&quot; not started: it could not be recorded: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ExactInteger</name>
    <message>
        <source>not a decimal number: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the number %1 is beyond the 128-bit range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a finite number: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ExportDialog</name>
    <message>
        <source>Write a header row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safe for spreadsheets (text starting with = + - @ gets a &apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comma (,)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Semicolon (;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pipe (|)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delimiter:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all matching rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table %1, as filtered and sorted in the view: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; no file was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The result of the SQL statement: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only rows where: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s)</source>
        <translation>
            <numerusform>%1 row</numerusform>
            <numerusform>%1 rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s) written</source>
        <translation>
            <numerusform>%1 row written</numerusform>
            <numerusform>%1 rows written</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s) written to %2</source>
        <translation>
            <numerusform>%1 row written to %2</numerusform>
            <numerusform>%1 rows written to %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::ExportStep</name>
    <message>
        <source>cannot write the CSV to %1: it exists and is not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>wrote %n row(s) to %1</source>
        <translation>
            <numerusform>wrote %n row to %1</numerusform>
            <numerusform>wrote %n rows to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (database %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FilterHeader</name>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter of column %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FireTimes</name>
    <message>
        <source>more than %1 fire times between %2 and %3; choose a shorter range</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FleetWorker</name>
    <message>
        <source>lost the store (%1); the runs go on, connecting again every %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this worker was presumed dead (no beat for %1 s) and the run was handed on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled through the store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 of %2 was queued with another definition than %3 on this machine; it runs this machine&apos;s file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 could not start here: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this worker is not the fleet&apos;s leader</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Flow</name>
    <message>
        <source>flow &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a flow needs a name without spaces, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flow has no tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a parameter needs a name without &quot;=&quot;, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; is declared twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the default of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task %1 has no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task &quot;%1&quot; is defined twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task &quot;%1&quot; has nothing to run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task &quot;%1&quot; has a negative retry count or delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the retry policy or a timeout is negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task &quot;%1&quot; depends on &quot;%2&quot;, which is not a task of this flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>task &quot;%1&quot; names &quot;%2&quot; twice as upstream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the tasks form a cycle: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowBuilder</name>
    <message>
        <source>the flow file could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step `%1`: steps of kind `%2` cannot run in this version</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowEditor</name>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the file (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go back to the file on disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open in external editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line:column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is larger than %1 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message>
        <source>Errors: %1, warnings: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save flow file</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Save with %n problem(s)?</source>
        <translation>
            <numerusform>Save with %n problem?</numerusform>
            <numerusform>Save with %n problems?</numerusform>
        </translation>
    </message>
    <message>
        <source>The flow cannot run until they are fixed; it is listed with its first error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 changed on disk. Replace it with your text?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare shows both versions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard your changes and load %1 from disk again?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No external editor could be opened. The file is at:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowFile</name>
    <message>
        <source>unterminated `${`: a variable ends with `}` on the same line; write `$${` for a literal `${`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file name does not make a flow name: &quot;%1&quot; must be a letter, then letters, digits, `-` or `_`, at most 64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the name `%1` is taken by a built-in flow; rename the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate step id `%1` (first at line %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step `%1` needs `%2`, which is not a step of this flow; did you mean `%3`?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step `%1` needs `%2`, which is not a step of this flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cycle in `needs`: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` cannot be used in SQL: bind params as :NAME (`-` written `_`), and :run_id, :run_time, :run_date, :flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown variable `%1`; write `$%1` for the shell&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown variable `%1`; the variables are params.NAME, run.id, run.time, run.date, run.stamp, run.prev-time, flow.name, flow.dir, data-dir, env.NAME and steps.ID.output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown param `%1` in `%2`; did you mean `%3`?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown param `%1` in `%2`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` can only be used in a step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` names `%2`, which is not a step of this flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1`: step `%2` is not upstream of step `%3`; add it to `needs`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a param default may only use `${run.*}` variables, not `%1`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>param `%1` is never used (as `${params.%1}`, `:%2` in SQL or `$%3`)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is larger than %1 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flow `%1` is already defined by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; of param `%3` is not of type %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>param `%1` must be a map of type, default, required, choices, description, or a default value, not a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>param `%1`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`choices` must be a non-empty list of values, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default &quot;%1&quot; of param `%2` is not one of its choices: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`params` must be a map of param names, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad param name &quot;%1&quot;: a letter, then letters, digits, `-` or `_`, at most 64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`schedule` needs exactly one of `cron` and `every`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad time zone &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`schedule` must be a cron expression or a map with `cron` or `every`, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad cron expression &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad interval &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is empty: a flow needs at least `steps`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a flow file must be a map of keys such as `steps`, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`defaults` must be a map of %1, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flow has no `steps`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a variable inside backquotes cannot be quoted safely; use `$(...)` instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a variable inside `$((...))` cannot be quoted; use its environment variable, such as `$SLUICE_PARAM_NAME`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a variable inside the shell&apos;s own `$${...}` cannot be quoted safely</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a variable inside a here-document cannot be quoted; use its environment variable, such as `$SLUICE_PARAM_NAME`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a backslash right before `${` would undo the quoting of the value; write `$${` for a literal `${`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`steps` must be a non-empty list of steps, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an empty list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1 must be a map with `id` and a kind such as `run`, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1 has no `id`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad step id &quot;%1&quot;: a letter, then letters, digits, `-` or `_`, at most 64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1 has two kinds, `%2` and `%3`; a step has exactly one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1 has no kind: give one of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` applies only to `%2` steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`run` is empty: give a command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`run` must be shell text or a non-empty list of arguments, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be a map of %2, not %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key column `%1` is not among the columns (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`rows` must be a JSON pointer such as /data (or empty for the whole document), not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`columns` must map each column to a JSON pointer, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad column name &quot;%1&quot;: a letter or `_`, then letters, digits or `_`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>column `%1` has no `pointer`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>column `%1` must be a JSON pointer such as /price, not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`http` needs a `url`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`http` needs `into`, the table to fill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`columns` must map each column to integer, real or text, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`import` needs a `file`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`import` needs `into`, the table to fill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`export` needs exactly one of `query` and `table`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`export` needs `to`, the file to write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML nested deeper than %1 levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML syntax: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unterminated quoted text: the closing %1 is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML syntax: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML syntax: unknown alias *%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>aliases of maps and lists are not supported in flow files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the text &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a key must be a plain name, not %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate key `%1` (first at line %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown key `%1` in %2; did you mean `%3`?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown key `%1` in %2; the keys are %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be a text, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be true or false, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be a whole number from %2 to %3, not %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be a duration such as 90s, 5m, 2h or 1d (at most 366d), not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be one of %2, not %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be a text or a list of texts, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each item of `%1` must be a text, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be a map of names to texts, not %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1.%2` must be a text, not %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be a table or column name (a letter or `_`, then letters, digits or `_`, at most 64), not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must name columns (a letter or `_`, then letters, digits or `_`), not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`%1` must be one character (or &quot;tab&quot;), not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a variable after a `case` inside `$(...)` cannot be quoted safely; use its environment variable, such as `$SLUICE_PARAM_NAME`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`database:` is not a valid PostgreSQL URL: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowFileWriter</name>
    <message>
        <source>cannot save %1: it is not a regular file, so it was left as it is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot save: the folder %1 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot save: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowGraphNodeItem</name>
    <message>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built-in task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>try %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>try %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt: %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowGraphView</name>
    <message>
        <source>No steps to show</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowPane</name>
    <message>
        <source>Graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a flow to see its steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel, +)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel, -)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit the whole graph (Ctrl+0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This flow file has errors: edit it to see its steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: never run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: run %2, %3 — click a step for its log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the flow file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The steps appear here as you write them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The steps as written, updated as you type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowRegistry</name>
    <message>
        <source>a flow of this name is already registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flow &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowRun</name>
    <message>
        <source>the task threw an exception: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the task threw an exception of an unknown type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream task &quot;%1&quot; was skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (attempt %2 follows in %3 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream task &quot;%1&quot; failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no result after %1 ms; the task was told to stop and its result will be discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upstream task &quot;%1&quot; timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the task did not stop within %1 s of the cancel; its result will be discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flow did not finish within %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; not retried: trying again would fail the same way</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reused from run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed after %1 attempts: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrying in %1 s (attempt %2 of %3): %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrying now (attempt %1 of %2): %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowTableModel</name>
    <message>
        <source>Not scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (paused)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cron / interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to be recorded in the run history (runs.sqlite); another program may hold it locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid file: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowTemplates</name>
    <message>
        <source>Shell commands, one step after another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQL statements on the warehouse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON from a web API into a warehouse table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A CSV file into a warehouse table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A query exported to CSV and sent by e-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad flow name &quot;%1&quot;: a letter, then letters, digits, `-` or `_`, at most 64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the name &quot;%1&quot; is taken by a built-in flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown template &quot;%1&quot;; the templates are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 already exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::FlowsView</name>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the selected flow now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the running flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop or restart running the flow by its schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit schedule…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set when the flow runs by itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No flows yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Res&amp;ume schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started run %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled from the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling run %1 of %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot change the schedule of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the schedule of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run with &amp;parameters…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the parameters of a run of the selected flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Backfill…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the selected flow for each fire time of its schedule in a range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backfill started run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot remove the schedule of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no schedule now: it runs when you start it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New flow…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a new flow, starting from a template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ed&amp;it flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the selected flow&apos;s file in the editor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a flow file: it appears here with its schedule and runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New flow…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is built into Sluice; write a new flow to change what it does</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::GapCache</name>
    <message>
        <source>not a regular file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a gap cache; left as it is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the gap cache: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::GapMap</name>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the series of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the slots of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot count the rows of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot list the tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the table %1 has no timeframe and start_timestamp columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n slot(s), %1</source>
        <translation>
            <numerusform>%n slot, %1</numerusform>
            <numerusform>%n slots, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot read the schema of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open the database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the indexes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::GapPanel</name>
    <message>
        <source>Whole history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill gaps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run btc-backfill once for each missing range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the whole history in the gap map (Home)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gaps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot map the gaps: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filling gap %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filling cancelled: %1 filled, %2 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filled %1 gaps, %2 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no gaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n gap(s), %1 slots missing</source>
        <translation>
            <numerusform>%n gap, %1 slots missing</numerusform>
            <numerusform>%n gaps, %1 slots missing</numerusform>
        </translation>
    </message>
    <message>
        <source>Fill gaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Run btc-backfill %n time(s), once for each missing range, to fill %1 slots?</source>
        <translation>
            <numerusform>Run btc-backfill %n time, once for each missing range, to fill %1 slots?</numerusform>
            <numerusform>Run btc-backfill %n times, once for each missing range, to fill %1 slots?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::GapStrip</name>
    <message>
        <source>Gap map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Present and missing slots of each series. Wheel, drag or + and - zoom, arrows pan, Home shows the whole history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (local)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no slots here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no gap here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: missing %2 to %3 (end exclusive)
%4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::GoToDialog</name>
    <message>
        <source>Go to time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a row number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (UTC):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (local):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yyyy-MM-dd HH:mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a row number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The view has no rows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row %1 is out of range: the view has rows 1 to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a date and time (yyyy-MM-dd HH:mm).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::HttpFetcher</name>
    <message numerus="yes">
        <source>timed out after %n s (%1, body incomplete)</source>
        <translation>
            <numerusform>timed out after %n s (%1, body incomplete)</numerusform>
            <numerusform>timed out after %n s (%1, body incomplete)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>timed out after %n s</source>
        <translation>
            <numerusform>timed out after %n s</numerusform>
            <numerusform>timed out after %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, retry after %n s</source>
        <translation>
            <numerusform>%1, retry after %n s</numerusform>
            <numerusform>%1, retry after %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no network access manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>called on a thread other than its network access manager&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not an http:// or https:// URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unusable proxy %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>response larger than %1 MB (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server closed the connection before the response was complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server closed the connection without a response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy refused the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proxy host not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy requires authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS handshake failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no HTTP status in the response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 from %3, where the request was redirected)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redirected to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>redirect loop: still redirected after %n hop(s), the last from %1 to %2</source>
        <translation>
            <numerusform>redirect loop: still redirected after %n hop, the last from %1 to %2</numerusform>
            <numerusform>redirect loop: still redirected after %n hops, the last from %1 to %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 to %2, which is not an http:// or https:// URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2: refused, a redirect from https to http would drop the encryption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2: unusable proxy %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 redirects to another host, %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>response larger than %n byte(s) (%1)</source>
        <translation>
            <numerusform>response larger than %n byte (%1)</numerusform>
            <numerusform>response larger than %n bytes (%1)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::HttpStep</name>
    <message>
        <source>%1 is beyond the 64-bit integers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the string &quot;%1&quot; is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is beyond the real numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not fit a column of type %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`url` &quot;%1&quot; is not an http:// or https:// URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>header `%1` may not hold a line break</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: the server asks to wait %n s, more than %2 (%3 s)</source>
        <translation>
            <numerusform>%1: the server asks to wait %n s, more than %2 (%3 s)</numerusform>
            <numerusform>%1: the server asks to wait %n s, more than %2 (%3 s)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: the server asks to wait %n s before the next request</source>
        <translation>
            <numerusform>%1: the server asks to wait %n s before the next request</numerusform>
            <numerusform>%1: the server asks to wait %n s before the next request</numerusform>
        </translation>
    </message>
    <message>
        <source>column `%1`: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`http` needs `columns`: each column of %1 and its JSON pointer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>column `%1` at %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>stored %n row(s) in %1 (%2 read from %3)</source>
        <translation>
            <numerusform>stored %n row in %1 (%2 read from %3)</numerusform>
            <numerusform>stored %n rows in %1 (%2 read from %3)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::ImportStep</name>
    <message>
        <source>the header of %1 has no column `%2` (it has %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the delimiter must be one ASCII character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`import` without a header needs `columns`</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1:%2: %n field(s), expected at least %3</source>
        <translation>
            <numerusform>%1:%2: %n field, expected at least %3</numerusform>
            <numerusform>%1:%2: %n fields, expected at least %3</numerusform>
        </translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>stored %n row(s) in %1 (%2 read from %3)</source>
        <translation>
            <numerusform>stored %n row in %1 (%2 read from %3)</numerusform>
            <numerusform>stored %n rows in %1 (%2 read from %3)</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (database %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::IndexBuilder</name>
    <message>
        <source>cannot open the warehouse to create an index: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create an index on %1.%2: the warehouse is read-only; an index needs a warehouse Sluice may write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the index on %1.%2 was not created: cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create an index on %1.%2: another program is writing to the warehouse (it is locked); try again when it has finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create an index on %1.%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::IniChecker</name>
    <message>
        <source>line 1 starts with a byte-order mark, which the INI reader takes for part of a line; save the file as UTF-8 without one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 is not UTF-8 text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 contains a NUL byte; this is not a text file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 contains the control character 0x%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 opens a quote (&quot;) that it does not close; the INI reader would take the lines after it into the value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 starts a [section] without its closing ]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 has text after the ] of its section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 is a section without a name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 starts with #, which does not begin a comment here (a semicolon does)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 is neither a [section], a key=value line, a ; comment nor blank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 has no key before =</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1 sets %2 again (first on line %3); only one value would be kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is a folder, not a settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is not a regular file (a device, FIFO or socket)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is larger than %1 KiB, which no settings file is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read it: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::IntervalSchedule</name>
    <message>
        <source>no interval given; write a number and a unit, such as 90s, 5m or 2h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; does not start with a number; write for example 90s, 5m or 2h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no unit (use s, m or h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; has an unknown unit &quot;%2&quot; (use s, m or h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is zero; an interval must be at least 1s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is longer than 366 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the anchor time is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every second</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::JsonNumber</name>
    <message>
        <source>not a JSON number: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the number %1 is beyond the 128-bit range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2, expected an integer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::JsonPointer</name>
    <message>
        <source>a JSON pointer starts with &apos;/&apos; (or is empty for the whole document)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;~&apos; in a JSON pointer must be followed by 0 or 1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::JsonReader</name>
    <message>
        <source>the document is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected data after the JSON value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid JSON at offset %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected end of data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected %1, found %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid literal, expected %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a JSON value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a digit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a digit after the decimal point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a digit in the exponent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a hexadecimal digit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>control character in a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lone low surrogate in a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high surrogate without its low half</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an escape character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nested deeper than %1 levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;,&apos; or &apos;]&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a member name in quotes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;:&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;,&apos; or &apos;}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a boolean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the document has no value at the JSON pointer &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value at the JSON pointer &quot;%1&quot; is %2, expected an array</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Keyring</name>
    <message numerus="yes">
        <source>the keyring did not answer within %n second(s)</source>
        <translation>
            <numerusform>the keyring did not answer within %n second</numerusform>
            <numerusform>the keyring did not answer within %n seconds</numerusform>
        </translation>
    </message>
    <message>
        <source>QtKeychain error %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keyring needs a running application object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keyring was asked from its own thread</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::LineThrottle</name>
    <message numerus="yes">
        <source>[%1 line(s) not shown: the step wrote faster than %2 lines a second]</source>
        <translation>
            <numerusform>[%1 line not shown: the step wrote faster than %2 lines a second]</numerusform>
            <numerusform>[%1 lines not shown: the step wrote faster than %2 lines a second]</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::LogModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::MailMessage</name>
    <message>
        <source>cannot read the attachment: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no sender address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid email address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no recipient</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::MailSettings</name>
    <message>
        <source>smtp.user is &quot;%1&quot; but no SMTP password is stored; store it with &quot;sluice config set-password&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no keyring answered: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no SMTP server is set (smtp.host)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the SMTP port %1 is not between 1 and 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no sender address is set (smtp.from)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plain SMTP without encryption (smtp.security &quot;none&quot;) is allowed only for a loopback host such as localhost or 127.0.0.1, not %1; nothing was sent</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Mailer</name>
    <message>
        <source>cancelled before sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>libcurl could not be initialised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (the server said: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out after %1 s while connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for the server&apos;s greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for the server to accept the message (the server said: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for the reply to %2 (the server&apos;s last reply: %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host name not found: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection refused (no SMTP server listens there)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 authentication failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the login of &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>certificate verification failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server does not offer STARTTLS, and smtp.security &quot;starttls&quot; requires it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot use the CA certificates file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the TLS handshake failed: %1 (if port %2 expects STARTTLS, set smtp.security to starttls)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the TLS handshake failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recipient refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sender refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>message refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::MainWindow</name>
    <message numerus="yes">
        <source>%n run(s) in progress</source>
        <translation>
            <numerusform>%n run in progress</numerusform>
            <numerusform>%n runs in progress</numerusform>
        </translation>
    </message>
    <message>
        <source>Sluice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Flows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows, their schedules and next runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run history, live task states and logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse the warehouse tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price, hash rate and difficulty over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Sluice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice keeps running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows still run on their schedules. Use the tray icon to open the window or to quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 run %2 ended %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of %2 ended %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Sluice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Sluice %1&lt;/h3&gt;&lt;p&gt;Operate local ETL jobs: run flows, watch every task live, schedule them, browse the data and send reports.&lt;/p&gt;&lt;p&gt;Data folder: &lt;code&gt;%2&lt;/code&gt;&lt;/p&gt;&lt;p&gt;Built with Qt %3.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 of %2 ended %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed when its schedule started it (%2). It will try again at each scheduled time; you will not be told again until it works. To stop these attempts, pause its schedule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule of %1 paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::MempoolClient</name>
    <message numerus="yes">
        <source>%1 is further back than the 3y period of the mining API reaches (%n day(s) of margin included)</source>
        <translation>
            <numerusform>%1 is further back than the 3y period of the mining API reaches (%n day of margin included)</numerusform>
            <numerusform>%1 is further back than the 3y period of the mining API reaches (%n days of margin included)</numerusform>
        </translation>
    </message>
    <message>
        <source>mempool.space mining API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timestamp %1 is before Bitcoin&apos;s first block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timestamp %1 is in the future</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a JSON object, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no &quot;hashrates&quot; member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;hashrates&quot; is %1, expected an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;difficulty&quot; is %1, expected an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash rate sample %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an object, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no &quot;timestamp&quot; member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no &quot;avgHashrate&quot; member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timestamp is %1, expected an integer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timestamp %1 is not a whole number of seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>avgHashrate is %1, expected a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>avgHashrate: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>avgHashrate %1 is not positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty response: no hash rate samples for period %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash rate sample %1: duplicate timestamp %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash rate sample %1: timestamp %2 breaks the order of the list (neither oldest first nor newest first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no &quot;currentHashrate&quot; member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>currentHashrate is %1, expected a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>currentHashrate: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>currentHashrate %1 is negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no &quot;currentDifficulty&quot; member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>currentDifficulty is %1, expected a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>currentDifficulty %1 is not a finite number &gt;= 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a JSON array of adjustments, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adjustment %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected an array, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected at least 4 fields, got %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 is not a whole number &gt;= 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is %2, expected a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 is not a finite number &gt; 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timestamp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>height</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>difficulty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty response: no difficulty adjustments for period %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adjustment %1: duplicate timestamp %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adjustment %1: timestamp %2 breaks the order of the list (neither newest first nor oldest first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>adjustment %1: height %2 does not follow the order of the timestamps (previous height %3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::NewFlowDialog</name>
    <message>
        <source>New flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. daily-sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start from:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The flow&apos;s name is its file&apos;s name: letters, digits, - and _.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name starts with a letter, then letters, digits, - or _ (at most 64).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a built-in flow; choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is a flow named %1 already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creates %1.yaml in the flows folder and opens it in the editor.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::OpenFolder</name>
    <message>
        <source>Cannot open the folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file manager answered. The folder is:
%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::PagedRowsModel</name>
    <message>
        <source>%1 EH/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Parameters</name>
    <message>
        <source>flow &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; must be %2 (%3), not &quot;%4&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown parameter &quot;%1&quot;; this flow takes no parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown parameter &quot;%1&quot;; the parameters are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; has no value; write it as %1=VALUE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; names no parameter; write it as NAME=VALUE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; is given more than once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2, default %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at most %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; is out of range %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a date YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; must be one of %2, not &quot;%3&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; is required; give it as --param %1=VALUE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2, required)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ParametersDialog</name>
    <message>
        <source>Run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters of this run of &quot;%1&quot;:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default depends on the run time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 *:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* required: this parameter has no default.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a value: this parameter has no default.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::PgConnection</name>
    <message numerus="yes">
        <source>no answer in %n second(s)</source>
        <translation>
            <numerusform>no answer in %n second</numerusform>
            <numerusform>no answer in %n seconds</numerusform>
        </translation>
    </message>
    <message>
        <source>not a PostgreSQL store URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed; on Debian install libqt6sql6-psql</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no PostgreSQL server answers at %1 port %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused user &quot;%1&quot;: wrong password, unknown user, or not allowed by pg_hba.conf (give the password in the URL, the credential store or PGPASSFILE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the database &quot;%1&quot; does not exist on the server; create it first (createdb %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL error in &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server asks for the password of user &quot;%1&quot; and none was given: put it in the URL, keep it with &quot;sluice config set-password store&quot;, or in PGPASSFILE</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::PgCsvExporter</name>
    <message>
        <source>the connection is not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the query must be one statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown table &quot;%1&quot;; the tables are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the query must be a SELECT that only reads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the export was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PostgreSQL error in the query: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the CSV: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the rows: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::PgHistoryWriter</name>
    <message>
        <source>the server returned no run id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot record the run history: the store does not answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot record the run history: the commit failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 is no longer this worker&apos;s (it was presumed dead and the run handed on): its events are not recorded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::PgRunQueue</name>
    <message>
        <source>the server returned no worker id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot begin a transaction: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot commit: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::PgSchema</name>
    <message>
        <source>cannot begin a transaction: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the store&apos;s schema is version %1, newer than this Sluice knows (%2): update Sluice on this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot commit the schema: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::PgSql</name>
    <message>
        <source>no answer from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (SQLSTATE %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown parameter :%1; the parameters are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection is not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot begin a transaction: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot commit: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::PgTableLoad</name>
    <message>
        <source>the connection is not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the table %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the table %1 has a column %2 that must be set and is not described</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the column %1 of the table %2 is declared %3, not %4 as described</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the table %1 has no column %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the table %1 has the key (%2), not (%3) as described</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot insert into %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot commit the rows of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::QueryReader</name>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The warehouse is locked: a flow or another program kept it locked for more than %1 ms. Run the query again when it is done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SQL tab is read-only: this statement writes to the warehouse (or attaches or changes a database). Change data with a flow&apos;s sql step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no statement to run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run one statement at a time: put the cursor in it or select it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The statement returns no rows: the SQL tab runs queries (SELECT, WITH, PRAGMA, EXPLAIN).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::QueryResultModel</name>
    <message>
        <source>%1 (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::QuerySpool</name>
    <message>
        <source>Cannot make a directory for the query&apos;s rows in %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the query&apos;s rows to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the query&apos;s rows from %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the query&apos;s rows to %1 (is the disk full?): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is shorter than written</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::RunHistoryReader</name>
    <message>
        <source>PostgreSQL error in &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::RunRecorder</name>
    <message>
        <source>the Qt SQLite driver gives no SQLite handle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot record the run history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… (truncated, %1 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n log line(s) dropped: the run history could not be written for a while</source>
        <translation>
            <numerusform>%n log line dropped: the run history could not be written for a while</numerusform>
            <numerusform>%n log lines dropped: the run history could not be written for a while</numerusform>
        </translation>
    </message>
    <message>
        <source>still writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of the run history are not written yet: %1</source>
        <translation>
            <numerusform>%n event of the run history is not written yet: %1</numerusform>
            <numerusform>%n events of the run history are not written yet: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of run(s) %1 are not written yet: %2</source>
        <translation>
            <numerusform>%n event of run(s) %1 is not written yet: %2</numerusform>
            <numerusform>%n events of run(s) %1 are not written yet: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n event(s) of run(s) %2 could not be written before the end (%3); runs left in progress show as Crashed at the next start</source>
        <translation>
            <numerusform>%1: %n event of run(s) %2 could not be written before the end (%3); runs left in progress show as Crashed at the next start</numerusform>
            <numerusform>%1: %n events of run(s) %2 could not be written before the end (%3); runs left in progress show as Crashed at the next start</numerusform>
        </translation>
    </message>
    <message>
        <source>the run history is written again; it could not be for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1; keeping %n event(s) in memory and trying again</source>
        <translation>
            <numerusform>%1; keeping %n event in memory and trying again</numerusform>
            <numerusform>%1; keeping %n events in memory and trying again</numerusform>
        </translation>
    </message>
    <message>
        <source>Sluice is shutting down</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::RunState</name>
    <message>
        <source>Scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backfill</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::RunStep</name>
    <message>
        <source>`${%1}`: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the output is longer than %1 bytes: only its start is kept, and a step that reads it fails</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::RunStore</name>
    <message>
        <source>SQLite error in &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the run history has schema version %1, newer than this Sluice understands (%2); use a newer Sluice or another data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the process running it ended before the run finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the process running the flow ended before the task finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not run: the process running the flow ended first</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::RunTableModel</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::RunsView</name>
    <message>
        <source>&amp;Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All flows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flow:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a flow from the Flows area; its runs, tasks and log appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the run history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the newest line in view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected lines, or every shown line when none is selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to Flows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the run to retry: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not start the retry: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only this step&apos;s lines are shown; click to show every step&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a run to see its steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Graph</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This run has no steps yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step: %1  ✕</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry &amp;failed steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new run with the same parameters and time that reuses the steps that completed and runs the rest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new run with the same parameters and time, every step anew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;definition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The flow file as this run used it, read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run time %1 · built-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run time %1 · definition %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The flow %1 no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run has not ended yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
SHA-256 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 cannot be retried now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not retry run %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting a retry of run %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Schedule</name>
    <message>
        <source>unknown time zone &quot;%1&quot;; use an IANA name such as Europe/Berlin or UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown policy &quot;%1&quot;; the policies are skip, run-once and catch-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the start time is not valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a key=value pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown key &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is given twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>neither cron= nor every= is given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>both cron= and every= are given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>anchor= belongs to an every= schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>anchor &quot;%1&quot; is not an ISO 8601 date and time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paused must be true or false, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ScheduleDialog</name>
    <message>
        <source>Schedule of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cron expression</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed interval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every 5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Daily at…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weekly on…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the latest missed time once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skip missed times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Catch up every missed time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expression:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed runs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next runs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The flow then runs only when started by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 UTC)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ScheduleRunner</name>
    <message>
        <source>the schedule of &quot;%1&quot; is ignored: no such flow</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ScheduleStore</name>
    <message>
        <source>could not write the file (no permission, or the disk is full)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is not a valid INI file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no flow name given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flow name is longer than 200 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; starts or ends with white space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; contains &apos;/&apos;, &apos;\&apos; or a control character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flow &quot;%1&quot; has no schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no schedule to store for &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SchedulerLock</name>
    <message>
        <source>another process holds the scheduler lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the scheduler of this data folder runs in process %1 (%2) on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown program</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unknown host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the lock file: permission denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the lock file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SchemaMigration</name>
    <message>
        <source>cannot read the schema version</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SeriesFill</name>
    <message>
        <source>data quality too low: starting point missed: no sample at or before the first slot %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data quality too low: end point missed: no sample at or after the last slot %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hash rate series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the hash rate %1 at %2 is beyond the supported range (2^125)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>difficulty series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the difficulty at %1 is not a finite number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>price series</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the price at %1 is not a finite number</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SeriesMerge</name>
    <message>
        <source>cannot merge series of different slot ranges: price %1, hash rate %2, difficulty %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>merge</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SeriesReader</name>
    <message>
        <source>cannot read the clean table of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SettingSpec</name>
    <message>
        <source>a single line of text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a host name or IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a whole number from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an http:// or https:// URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>empty or a proxy URL such as http://host:3128 or socks5://host:1080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an email address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a comma-separated list of email addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sqlite or postgresql://user[:password]@host[:port]/database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Settings</name>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP server host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP server port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection security: STARTTLS, implicit TLS, or none (loopback host only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP account user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender address of reports and alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report and alert recipients, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email an alert when a flow run fails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes between alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most one alert per flow in this many minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Binance URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL of the Binance API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mempool.space URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL of the mempool.space API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy for the source APIs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request timeout (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout of one request to a source API, in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep run history (days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days of run history to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the user interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep running in the tray when the window closes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be %1, not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown setting; the settings are %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an email address; must be %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ignored: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: ignored, using the default: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;none&quot; (plain SMTP without encryption) is allowed only for a loopback host such as localhost or 127.0.0.1, and %1 is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not write the settings file (permission denied or disk full)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the settings file is not a valid INI file; fix or remove it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest wait before a retry (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A source that asks to wait longer than this before the next request (Retry-After) fails the task at once, in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; Sluice goes on with the defaults for what it could not read, and leaves the file unchanged until it is fixed or removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; nothing was changed: Sluice rewrites only a settings file it can read in full, so fix or remove it first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. smtp.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STARTTLS (usually port 587)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS from the start (usually port 465)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (a server on this computer only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>often your email address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. sluice@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. ann@example.com, bo@example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none; or e.g. http://proxy:3128 or socks5://proxy:1080</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system&apos;s language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start minimised to the tray, the window hidden until the tray icon is clicked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the run history and queue live: sqlite (in the data folder) or a PostgreSQL URL shared by a fleet of sluice serve workers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sqlite, or postgresql://user@host:5432/database</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SettingsDialog</name>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set by the %1; change it there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;test email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a short email with the values above to the report recipients (or to the sender when there are none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where no keyring answers, keep it in a file in the data folder readable only by me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for a stored password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No password is stored. Type one to store it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A password is stored in %1. Type a new one to replace it; leave the field empty to keep it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storing the password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password is stored in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password was not stored: no keyring answered (%1). Tick &quot;keep it in a file&quot; to store it in %2, or clear the password field.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password was not stored: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice test email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a test email from Sluice. Its SMTP settings work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to %1. Check the inbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. Changes cannot be saved until the file is fixed or removed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No password keyring is running on this desktop, so a password can only be kept in a file in the data folder (tick the box above). Point here for details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring said: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SortIndexBar</name>
    <message>
        <source>Create index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sorting by %1 reads the whole table; an index would make it fast.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating an index on %1 (this reads the whole table once)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sorting by %1 reads the whole table; the index was not created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SourceProxyFactory</name>
    <message>
        <source>unsupported proxy scheme &quot;%1&quot; (use http:// or socks5://)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy URL has no host</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SqlScript</name>
    <message>
        <source>cannot begin a transaction: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only named parameters (:name) can be bound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown parameter %1; the parameters are %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot commit: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SqlStep</name>
    <message>
        <source>no database to run on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (database %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SqlView</name>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export results…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A query over the warehouse, read-only. Ctrl+Enter runs the statement under the cursor (or the selection), Esc cancels it, Ctrl+Up and Ctrl+Down recall earlier ones.

SELECT * FROM btc_usd_price_with_net_stat ORDER BY start_timestamp DESC;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the statement under the cursor, or the selection (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running statement (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last %1 statements run (Ctrl+Up, Ctrl+Down)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no statement to run: write a query, then press Ctrl+Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) read… first rows in %1 ms</source>
        <translation>
            <numerusform>%Ln row read… first rows in %1 ms</numerusform>
            <numerusform>%Ln rows read… first rows in %1 ms</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled after %1 ms, %Ln row(s) read</source>
        <translation>
            <numerusform>Cancelled after %1 ms, %Ln row read</numerusform>
            <numerusform>Cancelled after %1 ms, %Ln rows read</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 after %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) in %1 ms</source>
        <translation>
            <numerusform>%Ln row in %1 ms</numerusform>
            <numerusform>%Ln rows in %1 ms</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::SqliteConnection</name>
    <message>
        <source>the Qt SQLite driver is not installed (Debian package libqt6sql6-sqlite)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open the database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite error in &quot;%1&quot;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the Qt SQLite driver gives no SQLite handle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (SQLite error %3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::SqliteStatement</name>
    <message>
        <source>cannot prepare &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::StateStyle</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::StepContext</name>
    <message>
        <source>`${%1}`: step `%2` is not upstream of this step or did not complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>`${%1}`: the output of step `%2` is longer than %3 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown variable `${%1}`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step `%1` (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step `%1` (%2:%3:%4)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::StepDatabase</name>
    <message>
        <source>`database:` is not a PostgreSQL URL: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::StoreUrl</name>
    <message>
        <source>store URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a store: use sqlite or postgresql://user@host[:port]/database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the URL has a space or control character (write it as %20)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a valid URL: check the host and port, and write @ : / # ? in the user or password as %40 %3A %2F %23 %3F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a store URL has no #fragment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1 is not from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the URL names no database: add /DATABASE after the host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a database name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sslmode &quot;%1&quot; is not one of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connect_timeout must be 1 to 600 seconds, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host= in the query must be a socket folder (starting with /)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown parameter &quot;%1&quot; (known: sslmode, connect_timeout, host)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the URL names no host: postgresql://user@HOST/database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the path after the host is more than a database name: write @ : / # ? in the user or password as %40 %3A %2F %23 %3F</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::TableFilter</name>
    <message>
        <source>table %1 has no column &quot;%2&quot;; its columns are %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>table %1 has no start_timestamp column to limit a range on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a condition outside a range on &quot;%1&quot; needs its two ends</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::TableLoad</name>
    <message>
        <source>cannot begin a write transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot commit the rows of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::TableSpec</name>
    <message>
        <source>the table name &quot;%1&quot; is not an identifier (a letter or _, then letters, digits or _, at most %2, not sqlite_...)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>table %1 has no columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>table %1: the column name &quot;%2&quot; is not an identifier (a letter or _, then letters, digits or _, at most %3, not sqlite_...)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>table %1: the column %2 is named twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>table %1: the key column %2 is not a column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>table %1: the key names the column %2 twice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::TableWriter</name>
    <message>
        <source>cannot create the table %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot look up the table %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a %2, not a table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the table %1 has a column %2 that must be set and is not described</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the column %1 of the table %2 is declared %3, not %4 as described</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the columns of the table %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the table %1 has no column %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the table %1 has the key (%2), not (%3) as described</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>row %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot insert into %1 at %2: the column %3 may not be null</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot insert into %1 at %2: %3 does not fit the column %4 (%5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 values do not make whole rows of the %2 columns of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot bind %1 of %2 at %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot insert into %1 at %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot insert into %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot begin a write transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot commit the rows of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::TaskTableModel</name>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
After: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::TimeGrid</name>
    <message>
        <source>not a timeframe: &quot;%1&quot; (expected a count and one of s, m, h, d, w, such as 5m)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::TrayIcon</name>
    <message numerus="yes">
        <source>Sluice — %1, %n run(s) in progress</source>
        <translation>
            <numerusform>Sluice — %1, %n run in progress</numerusform>
            <numerusform>Sluice — %1, %n runs in progress</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Show Sluice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheduler off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sluice — %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Warehouse</name>
    <message>
        <source>the warehouse has schema version %1, newer than this Sluice understands (%2); use a newer Sluice or another data folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::WarehouseReader</name>
    <message>
        <source>cannot open table &quot;%1&quot; of %2: no such table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot count the rows of &quot;%1&quot; in %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read rows: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot go to %1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::WarehouseTableModel</name>
    <message>
        <source>%1 (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (local)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::WarehouseWriter</name>
    <message>
        <source>cannot bind the key of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the rows for %1 are not in slot order at slot %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the row for %1 at slot %2 holds a value that is not a finite number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load was cancelled after %1 of %2 slots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot begin a write transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot commit the batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the last slot of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot look up slot %1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read back %1 at slots %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slot %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
