<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Sluice</name>
    <message>
        <source>must be %1, not &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::ChartsView</name>
    <message>
        <source>BTC price, hash rate and difficulty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to chart yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts show the clean table once flows have loaded data.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::Cli</name>
    <message>
        <source>Usage: sluice config list | get KEY | set KEY VALUE | unset KEY | set-password [--store keyring|file]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning:</source>
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
        <source>&quot;config set-password&quot; is not available yet in this version of Sluice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown subcommand &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::CommandLine</name>
    <message>
        <source>run the scheduler without a window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list flows, schedules and next fire times</source>
        <translation type="unfinished"></translation>
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
        <source>Table to export (export).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field delimiter, one character (export).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave out the header line (export).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start time for the preview (schedule next).</source>
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
        <source>keyring or file (config set-password).</source>
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
</context>
<context>
    <name>Sluice::DataView</name>
    <message>
        <source>Timeframe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hash rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Difficulty</source>
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
</context>
<context>
    <name>Sluice::FlowsView</name>
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
        <source>No flows yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flows appear here once they are registered with the engine.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sluice::MainWindow</name>
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
</context>
<context>
    <name>Sluice::RunsView</name>
    <message>
        <source>Flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
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
        <source>Trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log lines of the selected run appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run a flow from the Flows area and watch it here, live.</source>
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
</context>
<context>
    <name>Sluice::Settings</name>
    <message>
        <source>SMTP server host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP server port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection security: STARTTLS, implicit TLS, or none (loopback host only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP account user name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender address of reports and alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report and alert recipients, comma-separated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email an alert when a flow run fails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most one alert per flow in this many minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL of the Binance API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base URL of the mempool.space API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy for the source APIs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout of one request to a source API, in seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days of run history to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the user interface</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep running in the tray when the window closes</source>
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
        <source>command line</source>
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
        <source>Data folder:</source>
        <translation type="unfinished"></translation>
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
</context>
<context>
    <name>Sluice::Warehouse</name>
    <message>
        <source>cannot read the schema version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the warehouse has schema version %1, newer than this Sluice understands (%2); use a newer Sluice or another data folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
