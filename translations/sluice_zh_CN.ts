<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Sluice</name>
    <message>
        <source>flow "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SQLite error in "%1": %2</source>
        <translation>执行“%1”时出现 SQLite 错误：%2</translation>
    </message>
    <message>
        <source>could not write the file (no permission, or the disk is full)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the file is not a valid INI file</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::BinanceClient</name>
    <message>
        <source>unsupported kline interval "%1" (one of %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no %1 kline starts in [%2, %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>empty response: no klines in [%1, %2)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1 (none in any of %n requests)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>expected a JSON array of klines, got %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>kline %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>open time %1 is before the requested start %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>duplicate open time %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>open time %1 comes before the previous kline's %2 (out of order)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an array, got %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected at least 7 fields, got %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is %2, expected an integer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 %2 is not a whole number of milliseconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is %2, expected a decimal string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 "%2" is not a decimal number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 "%2" is not positive</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>open time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>open price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>high price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>low price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>close price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>volume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>close time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>open time %1 is not a multiple of %2 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>close time %1 is not after open time %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>prices are inconsistent: open %1, high %2, low %3, close %4</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::ChartsView</name>
    <message>
        <source>BTC price, hash rate and difficulty</source>
        <translation>BTC 价格、算力与难度</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>时间（UTC）</translation>
    </message>
    <message>
        <source>Price (USD)</source>
        <translation>价格（美元）</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Nothing to chart yet</source>
        <translation>暂无可绘制的数据</translation>
    </message>
    <message>
        <source>Charts show the clean table once flows have loaded data.</source>
        <translation>流程加载数据后，图表将显示清洗后的数据表。</translation>
    </message>
</context>
<context>
    <name>Sluice::Cli</name>
    <message>
        <source>Usage: sluice export -o FILE [--start TS] [--end TS] [--table NAME] [--delimiter C] [--no-header]</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unexpected argument "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an output file is needed: -o FILE, or -o - for standard output</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--%1 "%2" is not a time: give unix seconds or ISO 8601 such as 2024-03-08T00:00:00Z</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write to standard output: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>standard output</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wrote 1 row to %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wrote %1 rows to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"flows" takes no arguments</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Usage: sluice flows</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>DESCRIPTION</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SCHEDULE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NEXT FIRE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>LAST RUN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (run %2, %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Usage: sluice run FLOW [--param NAME=VALUE ...]</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run %1 of flow "%2" completed in %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run %1 of flow "%2" ended %3 after %4.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%n attempt(s)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed task: %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reason: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the name of a flow is needed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>one flow at a time; parameters go with --param NAME=VALUE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown flow "%1"; the flows are %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>run %1 of flow "%2" started</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(attempt %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cancelled by %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 received: cancelling the run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>warning:</source>
        <translation>警告：</translation>
    </message>
    <message>
        <source>Usage: sluice schedule next "CRON" | --every INTERVAL [--from ISO8601] [--count N] [--tz ZONE]
       sluice schedule list
       sluice schedule set FLOW "CRON" | --every INTERVAL [--tz ZONE] [--misfire skip|run-once|catch-up]
       sluice schedule pause FLOW | resume FLOW | clear FLOW</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the option "--%1" does not apply to "schedule %2"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not an ISO 8601 date and time, such as 2024-03-08T16:50:00Z</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>give either a cron expression or --every, not both</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a cron expression is needed (quote it)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--count: "%1" is not a whole number from 1 to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, %2, misfire %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>paused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>next %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"list" takes no arguments</source>
        <translation>“list”不接受参数</translation>
    </message>
    <message>
        <source>No schedules. Set one with: sluice schedule set FLOW "CRON"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>FLOW</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>STATE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ZONE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>MISFIRE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NEXT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"set" takes a FLOW and a cron expression or --every</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a cron expression (quoted) or --every is needed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" takes one FLOW</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: schedule cleared</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a subcommand is needed: next, list, set, pause, resume or clear</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown subcommand "%1"</source>
        <translation>未知子命令“%1”</translation>
    </message>
</context>
<context>
    <name>Sluice::CommandLine</name>
    <message>
        <source>run the scheduler without a window</source>
        <translation>在无窗口模式下运行调度器</translation>
    </message>
    <message>
        <source>list flows, schedules and next fire times</source>
        <translation>列出流程、调度计划及下次触发时间</translation>
    </message>
    <message>
        <source>run one flow now</source>
        <translation>立即运行一个流程</translation>
    </message>
    <message>
        <source>write CSV of a table</source>
        <translation>将数据表导出为 CSV</translation>
    </message>
    <message>
        <source>show and edit schedules</source>
        <translation>查看和编辑调度计划</translation>
    </message>
    <message>
        <source>show and edit settings</source>
        <translation>查看和编辑设置</translation>
    </message>
    <message>
        <source>email the full CSV report now</source>
        <translation>立即通过电子邮件发送完整的 CSV 报告</translation>
    </message>
    <message>
        <source>Sluice runs, schedules and watches local ETL jobs. Without a command it opens the window.</source>
        <translation>Sluice 用于运行、调度和监视本地 ETL 作业。不带命令时打开主窗口。</translation>
    </message>
    <message>
        <source>The command to run; see below.</source>
        <translation>要执行的命令，见下文。</translation>
    </message>
    <message>
        <source>A flow parameter (run).</source>
        <translation>流程参数（run）。</translation>
    </message>
    <message>
        <source>Output file, - for standard output (export).</source>
        <translation>输出文件，“-”表示标准输出（export）。</translation>
    </message>
    <message>
        <source>First timestamp, inclusive (export).</source>
        <translation>起始时间戳，包含（export）。</translation>
    </message>
    <message>
        <source>Last timestamp, exclusive (export).</source>
        <translation>结束时间戳，不包含（export）。</translation>
    </message>
    <message>
        <source>Table to export (export).</source>
        <translation>要导出的数据表（export）。</translation>
    </message>
    <message>
        <source>Field delimiter, one character (export).</source>
        <translation>字段分隔符，单个字符（export）。</translation>
    </message>
    <message>
        <source>Leave out the header line (export).</source>
        <translation>不输出表头行（export）。</translation>
    </message>
    <message>
        <source>Start time for the preview (schedule next).</source>
        <translation>预览的起始时间（schedule next）。</translation>
    </message>
    <message>
        <source>Number of fire times (schedule next).</source>
        <translation>触发时间的个数（schedule next）。</translation>
    </message>
    <message>
        <source>IANA time zone of a schedule.</source>
        <translation>调度计划的 IANA 时区。</translation>
    </message>
    <message>
        <source>Interval schedule such as 90s, 5m, 2h (schedule set).</source>
        <translation>间隔调度，例如 90s、5m、2h（schedule set）。</translation>
    </message>
    <message>
        <source>skip, run-once or catch-up (schedule set).</source>
        <translation>skip、run-once 或 catch-up（schedule set）。</translation>
    </message>
    <message>
        <source>keyring or file (config set-password).</source>
        <translation>keyring 或 file（config set-password）。</translation>
    </message>
    <message>
        <source>unknown command "%1"</source>
        <translation>未知命令“%1”</translation>
    </message>
    <message>
        <source>the option "%1" does not apply to "%2"</source>
        <translation>选项“%1”不适用于“%2”</translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation>显示此帮助并退出。</translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation>显示版本号并退出。</translation>
    </message>
    <message>
        <source>The data folder to use (default: %1, or $%2).</source>
        <translation>要使用的数据文件夹（默认：%1，或 $%2）。</translation>
    </message>
    <message>
        <source>Language of the interface: %1.</source>
        <translation>界面语言：%1。</translation>
    </message>
    <message>
        <source>Usage: %1 [options] [command] [arguments]</source>
        <translation>用法：%1 [选项] [命令] [参数]</translation>
    </message>
    <message>
        <source>Try "%1 --help" for the commands and options.</source>
        <translation>运行“%1 --help”查看命令和选项。</translation>
    </message>
    <message>
        <source>Commands:</source>
        <translation>命令：</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>open the window</source>
        <translation>打开主窗口</translation>
    </message>
    <message>
        <source>"%1" is not available yet in this version of Sluice</source>
        <translation>此版本的 Sluice 尚不支持“%1”</translation>
    </message>
    <message>
        <source>unknown language "%1"; the languages are %2</source>
        <translation>未知语言“%1”；可用语言为 %2</translation>
    </message>
    <message>
        <source>no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run "sluice serve" for the scheduler without a window, or "sluice --help" for the commands.</source>
        <translation>没有可用于打开窗口的显示器（DISPLAY 和 WAYLAND_DISPLAY 均未设置）。运行“sluice serve”可在无窗口模式下启动调度器，或运行“sluice --help”查看命令。</translation>
    </message>
    <message>
        <source>Sluice cannot start</source>
        <translation>Sluice 无法启动</translation>
    </message>
    <message>
        <source>The data folder cannot be used.

%1</source>
        <translation>无法使用数据文件夹。

%1</translation>
    </message>
    <message>
        <source>Usage: sluice config list | get KEY | set KEY VALUE | unset KEY | set-password [--store keyring|file]</source>
        <translation>用法：sluice config list | get 键 | set 键 值 | unset 键 | set-password [--store keyring|file]</translation>
    </message>
    <message>
        <source>warning:</source>
        <translation>警告：</translation>
    </message>
    <message>
        <source>a subcommand is needed</source>
        <translation>需要一个子命令</translation>
    </message>
    <message>
        <source>"list" takes no arguments</source>
        <translation>“list”不接受参数</translation>
    </message>
    <message>
        <source>"get" takes one KEY</source>
        <translation>“get”需要一个键</translation>
    </message>
    <message>
        <source>"set" takes a KEY and one VALUE (quote a value with spaces)</source>
        <translation>“set”需要一个键和一个值（含空格的值请加引号）</translation>
    </message>
    <message>
        <source>note: %1 is overridden here by the %2</source>
        <translation>注意：%1 在此处被%2覆盖</translation>
    </message>
    <message>
        <source>"unset" takes one KEY</source>
        <translation>“unset”需要一个键</translation>
    </message>
    <message>
        <source>unknown subcommand "%1"</source>
        <translation>未知子命令“%1”</translation>
    </message>
    <message>
        <source>cannot read standard input: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the password is too long</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the password must be a single line; standard input has more than one</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the password is empty; nothing was stored</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the password contains a NUL character</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the password is not valid UTF-8</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"set-password" takes no arguments: it reads the password from standard input</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--store must be "keyring" or "file", not "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMTP password: </source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMTP password for %1: </source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot store the SMTP password: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>To keep it in the file %1 instead, readable only by you, run: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMTP password stored in %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::CredentialFile</name>
    <message>
        <source>the credentials file is a symbolic link; refusing to use it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the credentials file: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the credentials file is not a regular file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the credentials file belongs to another user (uid %1); refusing to use it. Store the password again with "sluice config set-password --store file".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the credentials file can be accessed by other users (mode %1); refusing to use it. Make it readable only by you with: chmod 600 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the credentials file is too large to hold a password</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot create the credentials file: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write the credentials file: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot remove the credentials file: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::CredentialStore</name>
    <message>
        <source>no keyring answered: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>system keyring</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the system keyring</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (readable only by you)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::CronExpression</name>
    <message>
        <source>the cron expression is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown macro "%1"; the macros are %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected 5 fields, got %1: "%2"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the expression never fires: no month in "%1" has a day in "%2"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the cron expression is not valid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the start time is not valid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the time zone is not valid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the expression never fires in the %1 years after %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sunday</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Monday</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tuesday</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wednesday</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thursday</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Friday</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saturday</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>January</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>February</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>March</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>April</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>May</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>June</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>July</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>August</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>September</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>October</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>November</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>December</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every minute</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>every %n minutes</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>every hour</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every hour at minute %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at %1 every day</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at %1 every %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at %1, %2 to %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at %1 on day %2 of every month</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at %1 on %2 %3</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::CsvExporter</name>
    <message>
        <source>SQLite error in "%1": %2</source>
        <translation>执行“%1”时出现 SQLite 错误：%2</translation>
    </message>
    <message>
        <source>the Qt SQLite driver gives no SQLite handle</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the database is not open</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot list the tables: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the columns of table %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the warehouse does not exist</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the delimiter cannot be a quote, CR, LF or NUL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the delimiter must be an ASCII character</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot start reading: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown table "%1"; the tables are %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>table %1 has no column "%2"; its columns are %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>table %1 has no start_timestamp column to limit a range on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the range is empty: the start %1 is not before the end %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot count the rows of %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write the CSV: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the rows: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the export was cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write the CSV file: it is a folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write the CSV file: %1 is not a folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write the CSV file: the folder %1 does not exist</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot create a file in the folder %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write the CSV file: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown table "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the delimiter must be one character, not "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the delimiter must be an ASCII character, not "%1"</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::DataFolder</name>
    <message>
        <source>no data folder given and no home folder to put one in</source>
        <translation>未指定数据文件夹，且没有可存放它的主目录</translation>
    </message>
    <message>
        <source>cannot use the data folder: it exists and is not a folder</source>
        <translation>无法使用数据文件夹：该路径已存在且不是文件夹</translation>
    </message>
    <message>
        <source>cannot create the data folder: %1</source>
        <translation>无法创建数据文件夹：%1</translation>
    </message>
    <message>
        <source>cannot write in the data folder: %1</source>
        <translation>无法写入数据文件夹：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::DataView</name>
    <message>
        <source>Timeframe</source>
        <translation>时间粒度</translation>
    </message>
    <message>
        <source>Start (UTC)</source>
        <translation>开始时间（UTC）</translation>
    </message>
    <message>
        <source>Price (USD)</source>
        <translation>价格（美元）</translation>
    </message>
    <message>
        <source>Hash rate</source>
        <translation>算力</translation>
    </message>
    <message>
        <source>Difficulty</source>
        <translation>难度</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>The warehouse is empty. Run the btc-backfill flow to load the last 30 days of price, hash rate and difficulty.</source>
        <translation>数据仓库为空。运行 btc-backfill 流程以加载最近 30 天的价格、算力和难度。</translation>
    </message>
</context>
<context>
    <name>Sluice::DemoFlow</name>
    <message numerus="yes">
        <source>cancelled after %n batch(es)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message numerus="yes">
        <source>read batch %1 of %2 (%n rows)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>Tries the engine: two tasks in parallel, a merge, a report</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>make the merge task fail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>how long each task works, in milliseconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cancelled before the merge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>giving up: the failure was requested</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>demo failure requested by the parameter fail=true</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>merged %n row(s)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>cancelled before the report</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>report: %n row(s) merged</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
</context>
<context>
    <name>Sluice::Engine</name>
    <message>
        <source>Sluice is shutting down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sluice shut down while the task was running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown flow "%1"; no flow is registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown flow "%1"; the flows are %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>flow "%1" is already running (run %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cancelled by the user</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::ExactInteger</name>
    <message>
        <source>not a decimal number: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the number %1 is beyond the 128-bit range</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not a finite number: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::FieldParser</name>
    <message>
        <source>empty list item in "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" has more than one "/"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" has nothing before "/"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" has no step after "/"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>step "%1" in "%2" is not a number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>step 0 in "%1" (a step must be at least 1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>step %1 in "%2" is larger than %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a valid range</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>range "%1" is backwards</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is out of range %2-%3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown name "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a number or a name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a number</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::Flow</name>
    <message>
        <source>flow "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a flow needs a name without spaces, not "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the flow has no tasks</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a parameter needs a name without "=", not "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>parameter "%1" is declared twice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the default of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>task %1 has no name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>task "%1" is defined twice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>task "%1" has nothing to run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>task "%1" has a negative retry count or delay</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the retry policy or a timeout is negative</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>task "%1" depends on "%2", which is not a task of this flow</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>task "%1" names "%2" twice as upstream</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the tasks form a cycle: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::FlowRegistry</name>
    <message>
        <source>a flow of this name is already registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>flow "%1"</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::FlowRun</name>
    <message>
        <source>the task threw an exception: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the task threw an exception of an unknown type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (attempt %2 follows in %3 ms)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>upstream task "%1" failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no result after %1 ms; the task was told to stop and its result will be discarded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>upstream task "%1" timed out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the task did not stop within %1 s of the cancel; its result will be discarded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the flow did not finish within %1 ms</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::FlowsView</name>
    <message>
        <source>Flow</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>调度</translation>
    </message>
    <message>
        <source>Next run</source>
        <translation>下次运行</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>上次运行</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Run the selected flow now</source>
        <translation>立即运行所选流程</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel the running flow</source>
        <translation>取消正在运行的流程</translation>
    </message>
    <message>
        <source>No flows yet</source>
        <translation>还没有流程</translation>
    </message>
    <message>
        <source>Flows appear here once they are registered with the engine.</source>
        <translation>流程在引擎中注册后会显示在这里。</translation>
    </message>
</context>
<context>
    <name>Sluice::HttpFetcher</name>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no network access manager</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>called on a thread other than its network access manager's</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not an http:// or https:// URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unusable proxy %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>timed out after %n s (%1, body incomplete)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message numerus="yes">
        <source>timed out after %n s</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>response larger than %1 MB (%2)</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1, retry after %n s</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>connection refused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>host not found</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server closed the connection before the response was complete</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server closed the connection without a response</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the connection timed out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the proxy refused the connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>proxy host not found</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the proxy requires authentication</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the proxy failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TLS handshake failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no HTTP status in the response</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::IntervalSchedule</name>
    <message>
        <source>no interval given; write a number and a unit, such as 90s, 5m or 2h</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" does not start with a number; write for example 90s, 5m or 2h</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" has no unit (use s, m or h)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" has an unknown unit "%2" (use s, m or h)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is zero; an interval must be at least 1s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is longer than 366 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the anchor time is not valid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every hour</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every minute</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every second</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::JsonNode</name>
    <message>
        <source>null</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a boolean</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an array</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an object</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::JsonNumber</name>
    <message>
        <source>not a JSON number: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the number %1 is beyond the 128-bit range</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::Keyring</name>
    <message numerus="yes">
        <source>the keyring did not answer within %n second(s)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>QtKeychain error %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the keyring needs a running application object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the keyring was asked from its own thread</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::MailMessage</name>
    <message>
        <source>cannot read the attachment: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no sender address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a valid email address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no recipient</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::MailSettings</name>
    <message>
        <source>smtp.user is "%1" but no SMTP password is stored; store it with "sluice config set-password"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no keyring answered: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no SMTP server is set (smtp.host)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the SMTP port %1 is not between 1 and 65535</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no sender address is set (smtp.from)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>plain SMTP without encryption (smtp.security "none") is allowed only for a loopback host such as localhost or 127.0.0.1, not %1; nothing was sent</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::Mailer</name>
    <message>
        <source>cancelled before sending</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>libcurl could not be initialised</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>out of memory</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (the server said: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timed out after %1 s while connecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timed out after %1 s waiting for the server's greeting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timed out after %1 s waiting for the server to accept the message (the server said: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timed out after %1 s waiting for the reply to %2 (the server's last reply: %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>host name not found: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>connection refused (no SMTP server listens there)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>could not connect: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 authentication failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server refused the login of "%1": %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>certificate verification failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server does not offer STARTTLS, and smtp.security "starttls" requires it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot use the CA certificates file %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the TLS handshake failed: %1 (if port %2 expects STARTTLS, set smtp.security to starttls)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the TLS handshake failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>recipient refused: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sender refused: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>message refused: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the server refused %1: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::MainWindow</name>
    <message>
        <source>Sluice</source>
        <translation>Sluice</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Flows</source>
        <translation>流程(&amp;F)</translation>
    </message>
    <message>
        <source>Flows, their schedules and next runs</source>
        <translation>流程、调度计划及下次运行时间</translation>
    </message>
    <message>
        <source>&amp;Runs</source>
        <translation>运行记录(&amp;R)</translation>
    </message>
    <message>
        <source>Run history, live task states and logs</source>
        <translation>运行历史、实时任务状态和日志</translation>
    </message>
    <message>
        <source>&amp;Data</source>
        <translation>数据(&amp;D)</translation>
    </message>
    <message>
        <source>Browse the warehouse tables</source>
        <translation>浏览数据仓库中的表</translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation>图表(&amp;H)</translation>
    </message>
    <message>
        <source>Price, hash rate and difficulty over time</source>
        <translation>价格、算力与难度随时间的变化</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Sluice</source>
        <translation>关于 Sluice(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Settings saved to %1</source>
        <translation>设置已保存到 %1</translation>
    </message>
    <message>
        <source>About Sluice</source>
        <translation>关于 Sluice</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Sluice %1&lt;/h3&gt;&lt;p&gt;Operate local ETL jobs: run flows, watch every task live, schedule them, browse the data and send reports.&lt;/p&gt;&lt;p&gt;Data folder: &lt;code&gt;%2&lt;/code&gt;&lt;/p&gt;&lt;p&gt;Built with Qt %3.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Sluice %1&lt;/h3&gt;&lt;p&gt;运营本地 ETL 作业：运行流程、实时查看每个任务、安排调度、浏览数据并发送报告。&lt;/p&gt;&lt;p&gt;数据文件夹：&lt;code&gt;%2&lt;/code&gt;&lt;/p&gt;&lt;p&gt;基于 Qt %3 构建。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Sluice::MempoolClient</name>
    <message numerus="yes">
        <source>%1 is further back than the 3y period of the mining API reaches (%n day(s) of margin included)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <source>mempool.space mining API</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timestamp %1 is before Bitcoin's first block</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timestamp %1 is in the future</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a JSON object, got %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no "hashrates" member</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"hashrates" is %1, expected an array</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"difficulty" is %1, expected an array</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>hash rate sample %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an object, got %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no "timestamp" member</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no "avgHashrate" member</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timestamp is %1, expected an integer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timestamp %1 is not a whole number of seconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>avgHashrate is %1, expected a number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>avgHashrate: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>avgHashrate %1 is not positive</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>empty response: no hash rate samples for period %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>hash rate sample %1: duplicate timestamp %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>hash rate sample %1: timestamp %2 breaks the order of the list (neither oldest first nor newest first)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no "currentHashrate" member</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>currentHashrate is %1, expected a number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>currentHashrate: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>currentHashrate %1 is negative</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no "currentDifficulty" member</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>currentDifficulty is %1, expected a number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>currentDifficulty %1 is not a finite number &gt;= 0</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected a JSON array of adjustments, got %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>adjustment %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected an array, got %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected at least 4 fields, got %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is %2, expected an integer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 %2 is not a whole number &gt;= 0</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is %2, expected a number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 %2 is not a finite number &gt; 0</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timestamp</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>height</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>difficulty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>change ratio</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>empty response: no difficulty adjustments for period %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>adjustment %1: duplicate timestamp %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>adjustment %1: timestamp %2 breaks the order of the list (neither newest first nor oldest first)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>adjustment %1: height %2 does not follow the order of the timestamps (previous height %3)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::Parameters</name>
    <message>
        <source>a whole number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>any text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>parameter "%1" must be %2 (%3), not "%4"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown parameter "%1"; this flow takes no parameters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown parameter "%1"; the parameters are %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>parameter "%1" has no value; write it as %1=VALUE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" names no parameter; write it as NAME=VALUE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>parameter "%1" is given more than once</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2, default %3)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::Parser</name>
    <message>
        <source>the document is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unexpected data after the JSON value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invalid JSON at offset %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unexpected end of data</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>expected %1, found %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invalid literal, expected %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a JSON value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a digit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a digit after the decimal point</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a digit in the exponent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a hexadecimal digit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>control character in a string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>lone low surrogate in a string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>high surrogate without its low half</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an escape character</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>nested deeper than %1 levels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>',' or ']'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a member name in quotes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>':'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>',' or '}'</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::RunRecorder::Writer</name>
    <message>
        <source>the Qt SQLite driver gives no SQLite handle</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot record the run history: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::RunState</name>
    <message>
        <source>Scheduled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Retrying</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Completed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Timed out</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Crashed</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::RunStore</name>
    <message>
        <source>the run history has schema version %1, newer than this Sluice understands (%2); use a newer Sluice or another data folder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the process running it ended before the run finished</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the process running the flow ended before the task finished</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not run: the process running the flow ended first</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::RunsView</name>
    <message>
        <source>Flow</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>触发方式</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Log lines of the selected run appear here.</source>
        <translation>所选运行的日志会显示在这里。</translation>
    </message>
    <message>
        <source>No runs yet</source>
        <translation>还没有运行记录</translation>
    </message>
    <message>
        <source>Run a flow from the Flows area and watch it here, live.</source>
        <translation>在“流程”区域运行一个流程，即可在这里实时查看。</translation>
    </message>
</context>
<context>
    <name>Sluice::Schedule</name>
    <message>
        <source>unknown time zone "%1"; use an IANA name such as Europe/Berlin or UTC</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown policy "%1"; the policies are skip, run-once and catch-up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the start time is not valid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no schedule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a key=value pair</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown key "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is given twice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>neither cron= nor every= is given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>both cron= and every= are given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>anchor= belongs to an every= schedule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>anchor "%1" is not an ISO 8601 date and time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>paused must be true or false, not "%1"</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::ScheduleStore</name>
    <message>
        <source>no flow name given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the flow name is longer than 200 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" starts or ends with white space</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" contains '/', '\' or a control character</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the flow "%1" has no schedule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no schedule to store for "%1"</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::SchedulerLock</name>
    <message>
        <source>another process holds the scheduler lock</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the scheduler of this data folder runs in process %1 (%2) on %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown program</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an unknown host</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot create the lock file: permission denied</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot create the lock file</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::SeriesFill</name>
    <message>
        <source>data quality too low: starting point missed: no sample at or before the first slot %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>data quality too low: end point missed: no sample at or after the last slot %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>hash rate series</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the hash rate %1 at %2 is beyond the supported range (2^125)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>difficulty series</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the difficulty at %1 is not a finite number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>price series</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the price at %1 is not a finite number</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::SeriesMerge</name>
    <message>
        <source>cannot merge series of different slot ranges: price %1, hash rate %2, difficulty %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>merge</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::SettingSpec</name>
    <message>
        <source>a single line of text</source>
        <translation>单行文本</translation>
    </message>
    <message>
        <source>a host name or IP address</source>
        <translation>主机名或 IP 地址</translation>
    </message>
    <message>
        <source>a whole number from %1 to %2</source>
        <translation>%1 到 %2 之间的整数</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation>以下之一：%1</translation>
    </message>
    <message>
        <source>an http:// or https:// URL</source>
        <translation>以 http:// 或 https:// 开头的网址</translation>
    </message>
    <message>
        <source>empty or a proxy URL such as http://host:3128 or socks5://host:1080</source>
        <translation>留空，或代理地址，例如 http://host:3128 或 socks5://host:1080</translation>
    </message>
    <message>
        <source>an email address</source>
        <translation>电子邮件地址</translation>
    </message>
    <message>
        <source>a comma-separated list of email addresses</source>
        <translation>以逗号分隔的电子邮件地址列表</translation>
    </message>
</context>
<context>
    <name>Sluice::Settings</name>
    <message>
        <source>SMTP server host name</source>
        <translation>SMTP 服务器主机名</translation>
    </message>
    <message>
        <source>SMTP server port</source>
        <translation>SMTP 服务器端口</translation>
    </message>
    <message>
        <source>Connection security: STARTTLS, implicit TLS, or none (loopback host only)</source>
        <translation>连接安全：STARTTLS、隐式 TLS，或无（仅限本机回环地址）</translation>
    </message>
    <message>
        <source>SMTP account user name</source>
        <translation>SMTP 账户用户名</translation>
    </message>
    <message>
        <source>Sender address of reports and alerts</source>
        <translation>报告和警报的发件人地址</translation>
    </message>
    <message>
        <source>Report and alert recipients, comma-separated</source>
        <translation>报告和警报的收件人，以逗号分隔</translation>
    </message>
    <message>
        <source>Email an alert when a flow run fails</source>
        <translation>流程运行失败时发送警报邮件</translation>
    </message>
    <message>
        <source>At most one alert per flow in this many minutes</source>
        <translation>每个流程在此分钟数内最多发送一次警报</translation>
    </message>
    <message>
        <source>Base URL of the Binance API</source>
        <translation>Binance API 的基础网址</translation>
    </message>
    <message>
        <source>Base URL of the mempool.space API</source>
        <translation>mempool.space API 的基础网址</translation>
    </message>
    <message>
        <source>Proxy for the source APIs</source>
        <translation>数据源 API 使用的代理</translation>
    </message>
    <message>
        <source>Timeout of one request to a source API, in seconds</source>
        <translation>单次数据源 API 请求的超时时间（秒）</translation>
    </message>
    <message>
        <source>Days of run history to keep</source>
        <translation>运行历史的保留天数</translation>
    </message>
    <message>
        <source>Language of the user interface</source>
        <translation>用户界面语言</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window closes</source>
        <translation>关闭窗口后在系统托盘中继续运行</translation>
    </message>
    <message>
        <source>unknown setting; the settings are %1</source>
        <translation>未知设置项；可用设置项为 %1</translation>
    </message>
    <message>
        <source>"%1" is not an email address; must be %2</source>
        <translation>“%1”不是电子邮件地址；必须是%2</translation>
    </message>
    <message>
        <source>%1 ignored: %2</source>
        <translation>已忽略 %1：%2</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>environment %1</source>
        <translation>环境变量 %1</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>%1: ignored, using the default: %2</source>
        <translation>%1：已忽略，改用默认值：%2</translation>
    </message>
    <message>
        <source>"none" (plain SMTP without encryption) is allowed only for a loopback host such as localhost or 127.0.0.1, and %1 is %2</source>
        <translation>“none”（不加密的 SMTP）仅允许用于 localhost 或 127.0.0.1 等本机回环地址，而 %1 为 %2</translation>
    </message>
    <message>
        <source>could not write the settings file (permission denied or disk full)</source>
        <translation>无法写入设置文件（权限不足或磁盘已满）</translation>
    </message>
    <message>
        <source>the settings file is not a valid INI file; fix or remove it</source>
        <translation>设置文件不是有效的 INI 文件；请修复或删除它</translation>
    </message>
    <message>
        <source>must be %1, not "%2"</source>
        <translation>必须是%1，而不是“%2”</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>安全</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>From</source>
        <translation>发件人</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>警报</translation>
    </message>
    <message>
        <source>Minutes between alerts</source>
        <translation>警报间隔（分钟）</translation>
    </message>
    <message>
        <source>Binance URL</source>
        <translation>Binance 网址</translation>
    </message>
    <message>
        <source>mempool.space URL</source>
        <translation>mempool.space 网址</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Request timeout (s)</source>
        <translation>请求超时（秒）</translation>
    </message>
    <message>
        <source>Keep run history (days)</source>
        <translation>运行历史保留天数</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Tray</source>
        <translation>托盘</translation>
    </message>
</context>
<context>
    <name>Sluice::SettingsDialog</name>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>警报</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>数据源</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Set by the %1; change it there.</source>
        <translation>由%1设置；请在那里修改。</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>数据文件夹：</translation>
    </message>
</context>
<context>
    <name>Sluice::SourceProxyFactory</name>
    <message>
        <source>unsupported proxy scheme "%1" (use http:// or socks5://)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the proxy URL has no host</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::SqliteConnection</name>
    <message>
        <source>the Qt SQLite driver is not installed (Debian package libqt6sql6-sqlite)</source>
        <translation>未安装 Qt SQLite 驱动（Debian 软件包 libqt6sql6-sqlite）</translation>
    </message>
    <message>
        <source>cannot open the database: %1</source>
        <translation>无法打开数据库：%1</translation>
    </message>
    <message>
        <source>SQLite error in "%1": %2</source>
        <translation>执行“%1”时出现 SQLite 错误：%2</translation>
    </message>
</context>
<context>
    <name>Sluice::TimeGrid</name>
    <message>
        <source>not a timeframe: "%1" (expected a count and one of s, m, h, d, w, such as 5m)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Sluice::Warehouse</name>
    <message>
        <source>cannot read the schema version</source>
        <translation>无法读取数据库结构版本</translation>
    </message>
    <message>
        <source>the warehouse has schema version %1, newer than this Sluice understands (%2); use a newer Sluice or another data folder</source>
        <translation>数据仓库的结构版本为 %1，高于此版本 Sluice 支持的版本（%2）；请使用更新的 Sluice 或其他数据文件夹</translation>
    </message>
</context>
<context>
    <name>Sluice::WarehouseWriter</name>
    <message>
        <source>the Qt SQLite driver did not give its SQLite handle</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2 (SQLite error %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot prepare "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot bind the key of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the rows for %1 are not in slot order at slot %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the row for %1 at slot %2 holds a value that is not a finite number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the load was cancelled after %1 of %2 slots</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot begin a write transaction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot insert into %1 at slots %2 to %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot insert into %1 at slot %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot commit the batch</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot read the last slot of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot look up slot %1 in %2</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>