<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <source>"config set-password" is not available yet in this version of Sluice</source>
        <translation>此版本的 Sluice 尚不支持“config set-password”</translation>
    </message>
    <message>
        <source>unknown subcommand "%1"</source>
        <translation>未知子命令“%1”</translation>
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
</TS>