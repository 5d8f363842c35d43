<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Sluice::AlertNotifier</name>
    <message>
        <source>an alert for this flow was sent at %1; the next may go after %2</source>
        <translation>此流程的警报已于 %1 发送；下一条最早可在 %2 之后发送</translation>
    </message>
    <message>
        <source>Sluice: flow &quot;%1&quot; run %2 ended %3</source>
        <translation>Sluice：流程“%1”的运行 %2 已结束，状态：%3</translation>
    </message>
    <message>
        <source>Flow: %1
Run: %2
State: %3
Started: %4
Ended: %5
</source>
        <translation>流程：%1
运行：%2
状态：%3
开始时间：%4
结束时间：%5
</translation>
    </message>
    <message>
        <source>Failed task: %1
Error: %2
</source>
        <translation>失败的任务：%1
错误：%2
</translation>
    </message>
    <message>
        <source>Last log lines:</source>
        <translation>最后几行日志：</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Sent by Sluice.</source>
        <translation>由 Sluice 发送。</translation>
    </message>
    <message>
        <source>alerts are on but no recipients are configured (report.recipients)</source>
        <translation>警报已开启，但未配置收件人（report.recipients）</translation>
    </message>
</context>
<context>
    <name>Sluice::BackfillDialog</name>
    <message>
        <source>Backfill %1</source>
        <translation>回填 %1</translation>
    </message>
    <message>
        <source>How many runs of the backfill run at once</source>
        <translation>回填中同时进行的运行数</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>Schedule:</source>
        <translation>调度计划：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>开始时间(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;To (not included):</source>
        <translation>结束时间（不含）(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Parallel runs:</source>
        <translation>并行运行数(&amp;P)：</translation>
    </message>
    <message>
        <source>Fire time (UTC)</source>
        <translation>触发时间（UTC）</translation>
    </message>
    <message>
        <source>Local time</source>
        <translation>本地时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>%v of %m runs ended</source>
        <translation>%m 个运行中已结束 %v 个</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel &amp;backfill</source>
        <translation>取消回填(&amp;B)</translation>
    </message>
    <message>
        <source>Start nothing more and cancel the runs in progress</source>
        <translation>不再启动新的运行，并取消正在进行的运行</translation>
    </message>
    <message>
        <source>Could not read the completed runs: %1</source>
        <translation>无法读取已完成的运行：%1</translation>
    </message>
    <message>
        <source>%1 has no schedule to take fire times from; set one with Edit schedule.</source>
        <translation>%1 没有可用于获取触发时间的调度计划；请通过“编辑调度”设置一个。</translation>
    </message>
    <message>
        <source>To must be later than From.</source>
        <translation>结束时间必须晚于开始时间。</translation>
    </message>
    <message>
        <source>completed before: skipped</source>
        <translation>此前已完成：跳过</translation>
    </message>
    <message>
        <source>to run</source>
        <translation>待运行</translation>
    </message>
    <message numerus="yes">
        <source>%n fire time(s); reading the completed runs…</source>
        <translation>
            <numerusform>%n 个触发时间；正在读取已完成的运行…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n fire time(s): %1 to run, %2 completed before</source>
        <translation>
            <numerusform>%n 个触发时间：待运行 %1 个，此前已完成 %2 个</numerusform>
        </translation>
    </message>
    <message>
        <source>local %1</source>
        <translation>本地 %1</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <source>backfill cancelled from the window</source>
        <translation>已从窗口中取消回填</translation>
    </message>
    <message>
        <source>Backfill running</source>
        <translation>回填正在运行</translation>
    </message>
    <message>
        <source>The backfill of %1 is still running. Cancel its runs and close?</source>
        <translation>%1 的回填仍在运行。要取消其运行并关闭吗？</translation>
    </message>
    <message>
        <source>run %1: running</source>
        <translation>运行 %1：运行中</translation>
    </message>
    <message>
        <source>run %1: %2</source>
        <translation>运行 %1：%2</translation>
    </message>
    <message>
        <source>%1 completed, %2 did not, %3 not run, %4 skipped.</source>
        <translation>%1 个已完成，%2 个未完成，%3 个未运行，%4 个已跳过。</translation>
    </message>
    <message>
        <source>The backfill was cancelled.</source>
        <translation>回填已取消。</translation>
    </message>
</context>
<context>
    <name>Sluice::BackfillPlan</name>
    <message>
        <source>the end must be later than the start</source>
        <translation>结束时间必须晚于开始时间</translation>
    </message>
</context>
<context>
    <name>Sluice::BinanceClient</name>
    <message>
        <source>unsupported kline interval &quot;%1&quot; (one of %2)</source>
        <translation>不支持的 K 线周期“%1”（可选值：%2）</translation>
    </message>
    <message>
        <source>no %1 kline starts in [%2, %3)</source>
        <translation>在 [%2, %3) 内没有开始的 %1 K 线</translation>
    </message>
    <message>
        <source>empty response: no klines in [%1, %2)</source>
        <translation>响应为空：[%1, %2) 内没有 K 线</translation>
    </message>
    <message numerus="yes">
        <source>%1 (none in any of %n requests)</source>
        <translation>
            <numerusform>%1（%n 次请求中均没有）</numerusform>
        </translation>
    </message>
    <message>
        <source>expected a JSON array of klines, got %1</source>
        <translation>应为 K 线的 JSON 数组，实际为%1</translation>
    </message>
    <message>
        <source>kline %1: %2</source>
        <translation>K 线 %1：%2</translation>
    </message>
    <message>
        <source>open time %1 is before the requested start %2</source>
        <translation>开盘时间 %1 早于请求的起始时间 %2</translation>
    </message>
    <message>
        <source>duplicate open time %1</source>
        <translation>开盘时间 %1 重复</translation>
    </message>
    <message>
        <source>open time %1 comes before the previous kline&apos;s %2 (out of order)</source>
        <translation>开盘时间 %1 早于上一根 K 线的 %2（顺序错乱）</translation>
    </message>
    <message>
        <source>expected an array, got %1</source>
        <translation>应为数组，实际为%1</translation>
    </message>
    <message>
        <source>expected at least 7 fields, got %1</source>
        <translation>应至少有 7 个字段，实际为 %1 个</translation>
    </message>
    <message>
        <source>%1 %2 is not a whole number of milliseconds</source>
        <translation>%1 %2 不是整数毫秒</translation>
    </message>
    <message>
        <source>%1 is %2, expected a decimal string</source>
        <translation>%1为%2，应为十进制数字字符串</translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; is not a decimal number</source>
        <translation>%1“%2”不是十进制数</translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; is not positive</source>
        <translation>%1“%2”不是正数</translation>
    </message>
    <message>
        <source>open time</source>
        <translation>开盘时间</translation>
    </message>
    <message>
        <source>open price</source>
        <translation>开盘价</translation>
    </message>
    <message>
        <source>high price</source>
        <translation>最高价</translation>
    </message>
    <message>
        <source>low price</source>
        <translation>最低价</translation>
    </message>
    <message>
        <source>close price</source>
        <translation>收盘价</translation>
    </message>
    <message>
        <source>volume</source>
        <translation>成交量</translation>
    </message>
    <message>
        <source>close time</source>
        <translation>收盘时间</translation>
    </message>
    <message>
        <source>open time %1 is not a multiple of %2 ms</source>
        <translation>开盘时间 %1 不是 %2 毫秒的整数倍</translation>
    </message>
    <message>
        <source>close time %1 is not after open time %2</source>
        <translation>收盘时间 %1 不晚于开盘时间 %2</translation>
    </message>
    <message>
        <source>prices are inconsistent: open %1, high %2, low %3, close %4</source>
        <translation>价格不一致：开盘 %1，最高 %2，最低 %3，收盘 %4</translation>
    </message>
</context>
<context>
    <name>Sluice::BtcBackfillFlow</name>
    <message>
        <source>days must be 0 (since the last stored slot) or more, not %1</source>
        <translation>days 必须为 0（自最后存储的时间槽起）或更大，而不是 %1</translation>
    </message>
    <message>
        <source>the last stored slot is %1</source>
        <translation>最后存储的时间槽为 %1</translation>
    </message>
    <message>
        <source>Fills the warehouse with BTC price, hash rate and difficulty since the last stored slot</source>
        <translation>将自最后存储的时间槽以来的 BTC 价格、算力和难度填入数据仓库</translation>
    </message>
    <message>
        <source>fill the last N days; 0: since the last stored slot, or 30 days on an empty warehouse</source>
        <translation>填充最近 N 天；0：自最后存储的时间槽起，数据仓库为空时则为 30 天</translation>
    </message>
    <message>
        <source>%1 must be unix seconds or a time such as 2024-03-08T00:00:00Z, not &quot;%2&quot;</source>
        <translation>%1 必须是 Unix 秒数或时间（例如 2024-03-08T00:00:00Z），而不是“%2”</translation>
    </message>
    <message>
        <source>give from (and to, if not up to now) or days, not both</source>
        <translation>请指定 from（若不是截至现在，还需指定 to）或 days，不能同时指定</translation>
    </message>
    <message>
        <source>from and to span more than %1 days</source>
        <translation>from 与 to 之间的跨度超过 %1 天</translation>
    </message>
    <message>
        <source>fill the slots from this time (unix seconds or ISO 8601, e.g. 2024-03-08T00:00:00Z) instead of days; empty: not used</source>
        <translation>从此时间起填充时间槽（Unix 秒数或 ISO 8601，例如 2024-03-08T00:00:00Z），代替 days；留空：不使用</translation>
    </message>
    <message>
        <source>with from: the end of the slots, exclusive; empty: up to the current slot</source>
        <translation>与 from 配合使用：时间槽的结束时间（不包含）；留空：截至当前时间槽</translation>
    </message>
</context>
<context>
    <name>Sluice::BtcPipeline</name>
    <message numerus="yes">
        <source>%1: the server asks to wait %n s before the next request</source>
        <translation>
            <numerusform>%1：服务器要求在下一次请求前等待 %n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>fetching %n kline(s) from %1 to %2 in %3 request(s)</source>
        <translation>
            <numerusform>正在分 %3 次请求获取从 %1 到 %2 的 %n 根 K 线</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>received %n kline(s)</source>
        <translation>
            <numerusform>已收到 %n 根 K 线</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>received %n daily hash rate(s) for the period %1</source>
        <translation>
            <numerusform>已收到周期 %1 的 %n 个每日算力值</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>received %n difficulty adjustment(s) for the period %1</source>
        <translation>
            <numerusform>已收到周期 %1 的 %n 条难度调整记录</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing to load: the warehouse is up to date</source>
        <translation>无需加载：数据仓库已是最新</translation>
    </message>
    <message numerus="yes">
        <source>stored %n new row(s) in %1: %2 prices, %3 hash rates, %4 difficulties, %5 clean rows</source>
        <translation>
            <numerusform>已在 %1 中存储 %n 行新数据：%2 个价格、%3 个算力值、%4 个难度值、%5 行清洗后数据</numerusform>
        </translation>
    </message>
    <message>
        <source>the warehouse is up to date: nothing to fetch</source>
        <translation>数据仓库已是最新：无需获取</translation>
    </message>
    <message numerus="yes">
        <source>%n slot(s) to fill, from %1 to %2</source>
        <translation>
            <numerusform>需填充 %n 个时间槽，从 %1 到 %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: the server asks to wait %n s, more than %2 (%3 s)</source>
        <translation>
            <numerusform>%1：服务器要求等待 %n 秒，超过了 %2（%3 秒）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>aligned %n slot(s): %1 prices, %2 hash rates, %3 difficulties</source>
        <translation>
            <numerusform>已对齐 %n 个时间槽：%1 个价格、%2 个算力值、%3 个难度值</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::BtcUpdateFlow</name>
    <message>
        <source>Stores the current slot of BTC price, hash rate and difficulty</source>
        <translation>存储当前时间槽的 BTC 价格、算力和难度</translation>
    </message>
</context>
<context>
    <name>Sluice::ChartsView</name>
    <message>
        <source>Price (USD)</source>
        <translation>价格（美元）</translation>
    </message>
    <message>
        <source>Nothing to chart yet</source>
        <translation>暂无可绘制的数据</translation>
    </message>
    <message>
        <source>Hash rate (EH/s)</source>
        <translation>算力（EH/s）</translation>
    </message>
    <message>
        <source>Difficulty (T)</source>
        <translation>难度（T）</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>最近一天</translation>
    </message>
    <message>
        <source>Last week</source>
        <translation>最近一周</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>最近一个月</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>范围：</translation>
    </message>
    <message>
        <source>Drag to zoom, right-click or Reset zoom to zoom out, wheel to zoom, arrow keys to pan.</source>
        <translation>拖动以缩放，右键单击或点击“重置缩放”以缩小，滚轮缩放，方向键平移。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Time (local)</source>
        <translation>时间（本地）</translation>
    </message>
    <message>
        <source>price %1 USD</source>
        <translation>价格 %1 美元</translation>
    </message>
    <message>
        <source>hash rate %1 EH/s</source>
        <translation>算力 %1 EH/s</translation>
    </message>
    <message>
        <source>difficulty %1 T</source>
        <translation>难度 %1 T</translation>
    </message>
    <message>
        <source>%1 (%2 UTC)</source>
        <translation>%1（%2 UTC）</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>Save chart as PNG</source>
        <translation>将图表保存为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Charts show the clean table once flows have loaded data. Run the btc-backfill flow to load the last 30 days.</source>
        <translation>流程加载数据后，图表将显示清洗后的数据表。运行 btc-backfill 流程以加载最近 30 天的数据。</translation>
    </message>
    <message>
        <source>Show btc-backfill</source>
        <translation>显示 btc-backfill</translation>
    </message>
    <message>
        <source>the image could not be written</source>
        <translation>无法写入图像</translation>
    </message>
    <message>
        <source>Could not save the chart to %1: %2</source>
        <translation>无法将图表保存到 %1：%2</translation>
    </message>
    <message>
        <source>Chart saved to %1</source>
        <translation>图表已保存到 %1</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>hash rate %1 H/s</source>
        <translation>算力 %1 H/s</translation>
    </message>
    <message>
        <source>difficulty %1</source>
        <translation>难度 %1</translation>
    </message>
    <message>
        <source>%1
%2 UTC</source>
        <translation>%1
%2 UTC</translation>
    </message>
    <message>
        <source>%1
%2 (%3 UTC)</source>
        <translation>%1
%2（%3 UTC）</translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s), min/max per pixel</source>
        <translation>
            <numerusform>%1 行，每像素取最小/最大值</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s)</source>
        <translation>
            <numerusform>%1 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::ChildProcess</name>
    <message>
        <source>no program to run</source>
        <translation>没有要运行的程序</translation>
    </message>
    <message>
        <source>the working directory does not exist</source>
        <translation>工作目录不存在</translation>
    </message>
    <message>
        <source>program not found on the PATH</source>
        <translation>在 PATH 中找不到程序</translation>
    </message>
    <message>
        <source>cannot make a pipe: %1</source>
        <translation>无法创建管道：%1</translation>
    </message>
    <message>
        <source>cannot start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
    <message>
        <source>exited %1</source>
        <translation>已退出，退出码 %1</translation>
    </message>
    <message>
        <source>killed by signal %1 (SIG%2)</source>
        <translation>被信号 %1（SIG%2）终止</translation>
    </message>
    <message>
        <source>killed by signal %1</source>
        <translation>被信号 %1 终止</translation>
    </message>
</context>
<context>
    <name>Sluice::ColumnFilter</name>
    <message>
        <source>unexpected text after the closing quote: %1</source>
        <translation>闭合引号之后有多余的文本：%1</translation>
    </message>
    <message>
        <source>the quote opened in %1 is not closed</source>
        <translation>%1 中的引号未闭合</translation>
    </message>
    <message>
        <source>“%1” is not a number</source>
        <translation>“%1”不是数字</translation>
    </message>
    <message>
        <source>%1 seconds since 1970 is outside the years 1 to 9999</source>
        <translation>自 1970 年起的 %1 秒超出了公元 1 年至 9999 年的范围</translation>
    </message>
    <message>
        <source>“%1” is not a date and time (yyyy-MM-dd HH:mm:ss, yyyy-MM-dd HH:mm, yyyy-MM-dd, yyyy-MM) or seconds since 1970</source>
        <translation>“%1”不是日期时间（yyyy-MM-dd HH:mm:ss、yyyy-MM-dd HH:mm、yyyy-MM-dd、yyyy-MM），也不是自 1970 年起的秒数</translation>
    </message>
    <message>
        <source>“%1” needs a value after it</source>
        <translation>“%1”后面需要一个值</translation>
    </message>
    <message>
        <source>a range needs a start, an end or both: a..b, a.. or ..b</source>
        <translation>范围需要起点、终点或两者：a..b、a.. 或 ..b</translation>
    </message>
    <message>
        <source>the range %1..%2 is empty: its start is after its end</source>
        <translation>范围 %1..%2 为空：其起点在终点之后</translation>
    </message>
    <message>
        <source>“%1” holds no value</source>
        <translation>“%1”中没有值</translation>
    </message>
</context>
<context>
    <name>Sluice::CommandLine</name>
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
        <source>Leave out the header line (export).</source>
        <translation>不输出表头行（export）。</translation>
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
        <source>unknown command &quot;%1&quot;</source>
        <translation>未知命令“%1”</translation>
    </message>
    <message>
        <source>the option &quot;%1&quot; does not apply to &quot;%2&quot;</source>
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
        <source>Try &quot;%1 --help&quot; for the commands and options.</source>
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
        <source>&quot;%1&quot; is not available yet in this version of Sluice</source>
        <translation>此版本的 Sluice 尚不支持“%1”</translation>
    </message>
    <message>
        <source>unknown language &quot;%1&quot;; the languages are %2</source>
        <translation>未知语言“%1”；可用语言为 %2</translation>
    </message>
    <message>
        <source>no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). Run &quot;sluice serve&quot; for the scheduler without a window, or &quot;sluice --help&quot; for the commands.</source>
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
        <source>warning:</source>
        <translation>警告：</translation>
    </message>
    <message>
        <source>a subcommand is needed</source>
        <translation>需要一个子命令</translation>
    </message>
    <message>
        <source>&quot;list&quot; takes no arguments</source>
        <translation>“list”不接受参数</translation>
    </message>
    <message>
        <source>&quot;get&quot; takes one KEY</source>
        <translation>“get”需要一个键</translation>
    </message>
    <message>
        <source>&quot;set&quot; takes a KEY and one VALUE (quote a value with spaces)</source>
        <translation>“set”需要一个键和一个值（含空格的值请加引号）</translation>
    </message>
    <message>
        <source>note: %1 is overridden here by the %2</source>
        <translation>注意：%1 在此处被%2覆盖</translation>
    </message>
    <message>
        <source>&quot;unset&quot; takes one KEY</source>
        <translation>“unset”需要一个键</translation>
    </message>
    <message>
        <source>unknown subcommand &quot;%1&quot;</source>
        <translation>未知子命令“%1”</translation>
    </message>
    <message>
        <source>cannot read standard input: %1</source>
        <translation>无法读取标准输入：%1</translation>
    </message>
    <message>
        <source>the password is too long</source>
        <translation>密码过长</translation>
    </message>
    <message>
        <source>the password must be a single line; standard input has more than one</source>
        <translation>密码必须为单行；标准输入中有多行</translation>
    </message>
    <message>
        <source>the password is empty; nothing was stored</source>
        <translation>密码为空；未存储任何内容</translation>
    </message>
    <message>
        <source>the password contains a NUL character</source>
        <translation>密码中含有 NUL 字符</translation>
    </message>
    <message>
        <source>the password is not valid UTF-8</source>
        <translation>密码不是有效的 UTF-8</translation>
    </message>
    <message>
        <source>--store must be &quot;keyring&quot; or &quot;file&quot;, not &quot;%1&quot;</source>
        <translation>--store 必须是“keyring”或“file”，而不是“%1”</translation>
    </message>
    <message>
        <source>SMTP password: </source>
        <translation>SMTP 密码： </translation>
    </message>
    <message>
        <source>SMTP password for %1: </source>
        <translation>%1 的 SMTP 密码： </translation>
    </message>
    <message>
        <source>cannot store the SMTP password: %1</source>
        <translation>无法存储 SMTP 密码：%1</translation>
    </message>
    <message>
        <source>To keep it in the file %1 instead, readable only by you, run: %2</source>
        <translation>若要改为保存在仅你本人可读的文件 %1 中，请运行：%2</translation>
    </message>
    <message>
        <source>SMTP password stored in %1</source>
        <translation>SMTP 密码已存储到 %1</translation>
    </message>
    <message>
        <source>Usage: sluice export -o FILE [--start TS] [--end TS] [--table NAME] [--delimiter C] [--no-header]</source>
        <translation>用法：sluice export -o 文件 [--start 时间戳] [--end 时间戳] [--table 名称] [--delimiter 字符] [--no-header]</translation>
    </message>
    <message>
        <source>unexpected argument &quot;%1&quot;</source>
        <translation>意外的参数“%1”</translation>
    </message>
    <message>
        <source>an output file is needed: -o FILE, or -o - for standard output</source>
        <translation>需要指定输出文件：-o 文件，或用 -o - 表示标准输出</translation>
    </message>
    <message>
        <source>--%1 &quot;%2&quot; is not a time: give unix seconds or ISO 8601 such as 2024-03-08T00:00:00Z</source>
        <translation>--%1“%2”不是有效的时间：请给出 Unix 秒数或 ISO 8601 格式，例如 2024-03-08T00:00:00Z</translation>
    </message>
    <message>
        <source>cannot write to standard output: %1</source>
        <translation>无法写入标准输出：%1</translation>
    </message>
    <message>
        <source>standard output</source>
        <translation>标准输出</translation>
    </message>
    <message>
        <source>Wrote 1 row to %1</source>
        <translation>已将 1 行写入 %1</translation>
    </message>
    <message>
        <source>Wrote %1 rows to %2</source>
        <translation>已将 %1 行写入 %2</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>DESCRIPTION</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>SCHEDULE</source>
        <translation>调度</translation>
    </message>
    <message>
        <source>NEXT FIRE</source>
        <translation>下次触发</translation>
    </message>
    <message>
        <source>LAST RUN</source>
        <translation>上次运行</translation>
    </message>
    <message>
        <source>%1 (run %2, %3)</source>
        <translation>%1（运行 %2，%3）</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>another process schedules this data folder: %1</source>
        <translation>另一个进程正在调度此数据文件夹：%1</translation>
    </message>
    <message>
        <source>Sluice was closed</source>
        <translation>Sluice 已关闭</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Run %1 of flow &quot;%2&quot; completed in %3.</source>
        <translation>流程“%2”的运行 %1 已完成，耗时 %3。</translation>
    </message>
    <message>
        <source>Run %1 of flow &quot;%2&quot; ended %3 after %4.</source>
        <translation>流程“%2”的运行 %1 在 %4 后结束，状态：%3。</translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n 次尝试</numerusform>
        </translation>
    </message>
    <message>
        <source>Failed task: %1: %2</source>
        <translation>失败的任务：%1：%2</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <source>the name of a flow is needed</source>
        <translation>需要指定流程名称</translation>
    </message>
    <message>
        <source>one flow at a time; parameters go with --param NAME=VALUE</source>
        <translation>一次只能运行一个流程；参数请用 --param 名称=值 传入</translation>
    </message>
    <message>
        <source>unknown flow &quot;%1&quot;; the flows are %2</source>
        <translation>未知流程“%1”；可用流程为 %2</translation>
    </message>
    <message>
        <source>alert emailed to %1</source>
        <translation>警报已通过电子邮件发送给 %1</translation>
    </message>
    <message>
        <source>no alert sent: %1</source>
        <translation>未发送警报：%1</translation>
    </message>
    <message>
        <source>the alert could not be sent: %1</source>
        <translation>无法发送警报：%1</translation>
    </message>
    <message>
        <source>run %1 of flow &quot;%2&quot; started</source>
        <translation>流程“%2”的运行 %1 已开始</translation>
    </message>
    <message>
        <source>(attempt %1)</source>
        <translation>（第 %1 次尝试）</translation>
    </message>
    <message>
        <source>cancelled by %1</source>
        <translation>已被 %1 取消</translation>
    </message>
    <message>
        <source>%1 received: cancelling the run</source>
        <translation>收到 %1：正在取消运行</translation>
    </message>
    <message>
        <source>Usage: sluice schedule next &quot;CRON&quot; | --every INTERVAL [--from ISO8601] [--count N] [--tz ZONE]
       sluice schedule list
       sluice schedule set FLOW &quot;CRON&quot; | --every INTERVAL [--tz ZONE] [--misfire skip|run-once|catch-up]
       sluice schedule pause FLOW | resume FLOW | clear FLOW</source>
        <translation>用法：sluice schedule next &quot;CRON&quot; | --every 间隔 [--from ISO8601] [--count N] [--tz 时区]
      sluice schedule list
      sluice schedule set 流程 &quot;CRON&quot; | --every 间隔 [--tz 时区] [--misfire skip|run-once|catch-up]
      sluice schedule pause 流程 | resume 流程 | clear 流程</translation>
    </message>
    <message>
        <source>the option &quot;--%1&quot; does not apply to &quot;schedule %2&quot;</source>
        <translation>选项“--%1”不适用于“schedule %2”</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an ISO 8601 date and time, such as 2024-03-08T16:50:00Z</source>
        <translation>“%1”不是 ISO 8601 格式的日期时间，例如 2024-03-08T16:50:00Z</translation>
    </message>
    <message>
        <source>give either a cron expression or --every, not both</source>
        <translation>请给出 cron 表达式或 --every 其中之一，不能同时给出</translation>
    </message>
    <message>
        <source>--count: &quot;%1&quot; is not a whole number from 1 to %2</source>
        <translation>--count：“%1”不是 1 到 %2 之间的整数</translation>
    </message>
    <message>
        <source>%1, %2, misfire %3</source>
        <translation>%1，%2，错过触发策略 %3</translation>
    </message>
    <message>
        <source>next %1</source>
        <translation>下次 %1</translation>
    </message>
    <message>
        <source>No schedules. Set one with: sluice schedule set FLOW &quot;CRON&quot;</source>
        <translation>没有调度计划。可用以下命令设置：sluice schedule set 流程 &quot;CRON&quot;</translation>
    </message>
    <message>
        <source>FLOW</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>ZONE</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>MISFIRE</source>
        <translation>错过触发</translation>
    </message>
    <message>
        <source>NEXT</source>
        <translation>下次</translation>
    </message>
    <message>
        <source>active</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>&quot;set&quot; takes a FLOW and a cron expression or --every</source>
        <translation>“set”需要一个流程，以及一个 cron 表达式或 --every</translation>
    </message>
    <message>
        <source>a cron expression (quoted) or --every is needed</source>
        <translation>需要一个 cron 表达式（加引号）或 --every</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; takes one FLOW</source>
        <translation>“%1”需要一个流程</translation>
    </message>
    <message>
        <source>%1: schedule cleared</source>
        <translation>%1：调度计划已清除</translation>
    </message>
    <message>
        <source>a subcommand is needed: next, list, set, pause, resume or clear</source>
        <translation>需要一个子命令：next、list、set、pause、resume 或 clear</translation>
    </message>
    <message>
        <source>&quot;send-report&quot; takes no arguments</source>
        <translation>“send-report”不接受参数</translation>
    </message>
    <message>
        <source>Usage: sluice send-report</source>
        <translation>用法：sluice send-report</translation>
    </message>
    <message>
        <source>Report sent (run %1): %2</source>
        <translation>报告已发送（运行 %1）：%2</translation>
    </message>
    <message>
        <source>the report was not sent (run %1 ended %2): %3</source>
        <translation>报告未发送（运行 %1 已结束，状态：%2）：%3</translation>
    </message>
    <message>
        <source>&quot;serve&quot; takes no arguments</source>
        <translation>“serve”不接受参数</translation>
    </message>
    <message>
        <source>another scheduler drives this data folder: %1</source>
        <translation>另一个调度器正在驱动此数据文件夹：%1</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>%1 (%2, next %3)</source>
        <translation>%1（%2，下次 %3）</translation>
    </message>
    <message>
        <source>no schedules; set one with: sluice schedule set FLOW &quot;CRON&quot;</source>
        <translation>没有调度计划；可用以下命令设置：sluice schedule set 流程 &quot;CRON&quot;</translation>
    </message>
    <message>
        <source>schedules: %1</source>
        <translation>调度计划：%1</translation>
    </message>
    <message>
        <source>fired %1 for %2: run %3</source>
        <translation>已为 %2 触发 %1：运行 %3</translation>
    </message>
    <message>
        <source>could not start %1 for %2: %3</source>
        <translation>无法为 %2 启动 %1：%3</translation>
    </message>
    <message>
        <source>%1: slots between %2 and %3 were missed and not run (misfire policy)</source>
        <translation>%1：%2 与 %3 之间的时间槽已错过且未运行（错过触发策略）</translation>
    </message>
    <message>
        <source>run %1 of %2 ended %3 after %4</source>
        <translation>%2 的运行 %1 在 %4 后结束，状态：%3</translation>
    </message>
    <message>
        <source>task %1: %2</source>
        <translation>任务 %1：%2</translation>
    </message>
    <message>
        <source>alert for run %1 of %2 emailed to %3</source>
        <translation>%2 的运行 %1 的警报已通过电子邮件发送给 %3</translation>
    </message>
    <message>
        <source>no alert for run %1 of %2: %3</source>
        <translation>未发送 %2 的运行 %1 的警报：%3</translation>
    </message>
    <message>
        <source>the alert for run %1 of %2 could not be sent: %3</source>
        <translation>无法发送 %2 的运行 %1 的警报：%3</translation>
    </message>
    <message>
        <source>%1 received: stopping (%2 run(s) to cancel)</source>
        <translation>收到 %1：正在停止（需取消 %2 个运行）</translation>
    </message>
    <message>
        <source>cancelled by %1: sluice serve is stopping</source>
        <translation>已被 %1 取消：sluice serve 正在停止</translation>
    </message>
    <message>
        <source>sluice serve started on %1 (process %2)</source>
        <translation>sluice serve 已在 %1 上启动（进程 %2）</translation>
    </message>
    <message>
        <source>sluice serve stopped</source>
        <translation>sluice serve 已停止</translation>
    </message>
    <message>
        <source>Field delimiter (export): one character other than a letter, a digit, . + - &quot; &apos;, or tab.</source>
        <translation>字段分隔符（export）：除字母、数字及 . + - &quot; &apos; 以外的单个字符，或 tab。</translation>
    </message>
    <message>
        <source>--delimiter &quot;%1&quot; is refused: %2</source>
        <translation>--delimiter“%1”被拒绝：%2</translation>
    </message>
    <message>
        <source>%1 received: already stopping</source>
        <translation>收到 %1：已在停止中</translation>
    </message>
    <message>
        <source>%1 received: closing (%2 run(s) to cancel)</source>
        <translation>收到 %1：正在关闭（需取消 %2 个运行）</translation>
    </message>
    <message>
        <source>cancelled by %1: Sluice is closing</source>
        <translation>已被 %1 取消：Sluice 正在关闭</translation>
    </message>
    <message>
        <source>list flows; check, create and show flow files</source>
        <translation>列出流程；检查、创建和显示流程文件</translation>
    </message>
    <message>
        <source>shell, sql, http-to-table, csv-import or export-email (flows new).</source>
        <translation>shell、sql、http-to-table、csv-import 或 export-email（flows new）。</translation>
    </message>
    <message>
        <source>Print a Graphviz graph (flows show).</source>
        <translation>输出 Graphviz 图（flows show）。</translation>
    </message>
    <message>
        <source>no flow files in %1</source>
        <translation>%1 中没有流程文件</translation>
    </message>
    <message numerus="yes">
        <source>%n flow file(s) checked</source>
        <translation>
            <numerusform>已检查 %n 个流程文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n invalid</source>
        <translation>
            <numerusform>%n 个无效</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n 个错误</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n 个警告</numerusform>
        </translation>
    </message>
    <message>
        <source>Usage: sluice flows
       sluice flows check [FILE ...]
       sluice flows new NAME [--template %1]
       sluice flows show FLOW [--dot]</source>
        <translation>用法：sluice flows
      sluice flows check [文件 ...]
      sluice flows new 名称 [--template %1]
      sluice flows show 流程 [--dot]</translation>
    </message>
    <message>
        <source>the option &quot;--%1&quot; does not apply to &quot;%2&quot;</source>
        <translation>选项“--%1”不适用于“%2”</translation>
    </message>
    <message>
        <source>unknown subcommand &quot;%1&quot;; &quot;flows&quot; takes check, new or show</source>
        <translation>未知子命令“%1”；“flows”接受 check、new 或 show</translation>
    </message>
    <message>
        <source>invalid file: %1:%2: %3</source>
        <translation>无效文件：%1:%2：%3</translation>
    </message>
    <message>
        <source>file: %1</source>
        <translation>文件：%1</translation>
    </message>
    <message>
        <source>Usage: sluice flows new NAME [--template %1]</source>
        <translation>用法：sluice flows new 名称 [--template %1]</translation>
    </message>
    <message>
        <source>give one flow name</source>
        <translation>请指定一个流程名称</translation>
    </message>
    <message>
        <source>default %1</source>
        <translation>默认 %1</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation>以下之一：%1</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>flow %1 (%2)</source>
        <translation>流程 %1（%2）</translation>
    </message>
    <message>
        <source>description: %1</source>
        <translation>描述：%1</translation>
    </message>
    <message>
        <source>schedule: %1</source>
        <translation>计划：%1</translation>
    </message>
    <message>
        <source>params: %1</source>
        <translation>参数：%1</translation>
    </message>
    <message>
        <source>steps:</source>
        <translation>步骤：</translation>
    </message>
    <message>
        <source>needs %1</source>
        <translation>需要 %1</translation>
    </message>
    <message>
        <source>give one flow</source>
        <translation>请指定一个流程</translation>
    </message>
    <message>
        <source>Usage: sluice flows show FLOW [--dot]</source>
        <translation>用法：sluice flows show 流程 [--dot]</translation>
    </message>
    <message>
        <source>%1 does not pass the check</source>
        <translation>%1 未通过检查</translation>
    </message>
    <message>
        <source>unknown flow &quot;%1&quot;</source>
        <translation>未知流程“%1”</translation>
    </message>
    <message>
        <source>Usage: sluice backfill FLOW --from ISO8601 --to ISO8601 [--parallel N] [--dry-run]</source>
        <translation>用法：sluice backfill 流程 --from ISO8601 --to ISO8601 [--parallel N] [--dry-run]</translation>
    </message>
    <message>
        <source>one FLOW is needed</source>
        <translation>需要一个流程</translation>
    </message>
    <message>
        <source>--from and --to are needed</source>
        <translation>需要 --from 和 --to</translation>
    </message>
    <message>
        <source>--to must be later than --from</source>
        <translation>--to 必须晚于 --from</translation>
    </message>
    <message>
        <source>--parallel must be a whole number in 1..%1, not &quot;%2&quot;</source>
        <translation>--parallel 必须是 1..%1 之间的整数，而不是“%2”</translation>
    </message>
    <message>
        <source>flow &quot;%1&quot; has no schedule to take fire times from; set one with: sluice schedule set %1 &quot;CRON&quot;</source>
        <translation>流程“%1”没有可用于获取触发时间的调度计划；可用以下命令设置：sluice schedule set %1 &quot;CRON&quot;</translation>
    </message>
    <message>
        <source>skip: a run of it completed</source>
        <translation>跳过：该时间已有运行完成</translation>
    </message>
    <message>
        <source>run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>backfill of &quot;%1&quot;: %2 fire times in [%3, %4), %5 completed before, %6 to run</source>
        <translation>回填“%1”：[%3, %4) 内共 %2 个触发时间，此前已完成 %5 个，待运行 %6 个</translation>
    </message>
    <message>
        <source>run %1 %2 (%3 of %4)</source>
        <translation>运行 %1 %2（%3/%4）</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <source>%1 received: cancelling the backfill</source>
        <translation>收到 %1：正在取消回填</translation>
    </message>
    <message>
        <source>backfill of &quot;%1&quot;: %2 completed, %3 did not, %4 not run, %5 skipped</source>
        <translation>回填“%1”：%2 个已完成，%3 个未完成，%4 个未运行，%5 个已跳过</translation>
    </message>
    <message>
        <source>list recent runs; show one run</source>
        <translation>列出最近的运行；显示单个运行</translation>
    </message>
    <message>
        <source>run a run again, reusing the steps that completed</source>
        <translation>重新执行一次运行，复用已完成的步骤</translation>
    </message>
    <message>
        <source>run a flow once for each of its fire times in a range</source>
        <translation>在一个时间范围内，按流程的每个触发时间各运行一次该流程</translation>
    </message>
    <message>
        <source>Runs at once (backfill; default 1).</source>
        <translation>同时进行的运行数（backfill；默认 1）。</translation>
    </message>
    <message>
        <source>List the fire times and what would run, run nothing (backfill).</source>
        <translation>列出触发时间及将会运行的内容，但不实际运行（backfill）。</translation>
    </message>
    <message>
        <source>The run&apos;s logical time, e.g. 2026-12-06T06:30:00Z or 2026-12-06 (run).</source>
        <translation>运行的逻辑时间，例如 2026-12-06T06:30:00Z 或 2026-12-06（run）。</translation>
    </message>
    <message>
        <source>Only runs in this state, e.g. Failed; may be repeated (runs).</source>
        <translation>只显示处于此状态的运行，例如 Failed；可重复指定（runs）。</translation>
    </message>
    <message>
        <source>At most N runs (runs; default 20).</source>
        <translation>最多显示 N 个运行（runs；默认 20）。</translation>
    </message>
    <message>
        <source>Rerun every step, reusing none (retry).</source>
        <translation>重新运行每个步骤，不复用任何步骤（retry）。</translation>
    </message>
    <message>
        <source>the flow file of &quot;%1&quot; has errors; it cannot run until they are fixed</source>
        <translation>“%1”的流程文件有错误；修复之前无法运行</translation>
    </message>
    <message>
        <source>Usage: sluice retry RUN_ID [--all]</source>
        <translation>用法：sluice retry 运行ID [--all]</translation>
    </message>
    <message>
        <source>one run id is needed</source>
        <translation>需要一个运行 ID</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a run id</source>
        <translation>“%1”不是运行 ID</translation>
    </message>
    <message>
        <source>there is no run %1 in %2</source>
        <translation>%2 中没有运行 %1</translation>
    </message>
    <message>
        <source>run %1 is still in progress (%2); retry it once it ended</source>
        <translation>运行 %1 仍在进行中（%2）；请在其结束后再重试</translation>
    </message>
    <message>
        <source>run %1 is of flow &quot;%2&quot;, which no longer exists</source>
        <translation>运行 %1 属于流程“%2”，但该流程已不存在</translation>
    </message>
    <message>
        <source>Usage: sluice run FLOW [--param NAME=VALUE ...] [--time ISO8601]</source>
        <translation>用法：sluice run 流程 [--param 名称=值 ...] [--time ISO8601]</translation>
    </message>
    <message>
        <source>Usage: sluice runs [FLOW] [--state S] [--limit N] | runs show RUN_ID</source>
        <translation>用法：sluice runs [流程] [--state 状态] [--limit N] | runs show 运行ID</translation>
    </message>
    <message>
        <source>one flow at a time, or &quot;show RUN_ID&quot;</source>
        <translation>一次只能指定一个流程，或使用“show 运行ID”</translation>
    </message>
    <message>
        <source>--limit: &quot;%1&quot; is not a whole number of at least 1</source>
        <translation>--limit：“%1”不是大于等于 1 的整数</translation>
    </message>
    <message>
        <source>--state: unknown state &quot;%1&quot;; the states are %2</source>
        <translation>--state：未知状态“%1”；可用状态为 %2</translation>
    </message>
    <message>
        <source>no runs</source>
        <translation>没有运行记录</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>RUN TIME</source>
        <translation>运行时间</translation>
    </message>
    <message>
        <source>DURATION</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Usage: sluice runs show RUN_ID</source>
        <translation>用法：sluice runs show 运行ID</translation>
    </message>
    <message>
        <source>Run %1 of flow &quot;%2&quot;</source>
        <translation>流程“%2”的运行 %1</translation>
    </message>
    <message>
        <source>Trigger:</source>
        <translation>触发方式：</translation>
    </message>
    <message>
        <source>Run time:</source>
        <translation>运行时间：</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Started:</source>
        <translation>开始时间：</translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation>耗时：</translation>
    </message>
    <message>
        <source>Message:</source>
        <translation>消息：</translation>
    </message>
    <message>
        <source>Definition:</source>
        <translation>定义：</translation>
    </message>
    <message>
        <source>sha256 %1 (%2)</source>
        <translation>sha256 %1（%2）</translation>
    </message>
    <message>
        <source>Retry of:</source>
        <translation>重试自：</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>步骤：</translation>
    </message>
    <message>
        <source>STEP</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>ATTEMPTS</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>ERROR OR OUTPUT</source>
        <translation>错误或输出</translation>
    </message>
    <message>
        <source>output: %1</source>
        <translation>输出：%1</translation>
    </message>
    <message>
        <source>Log:</source>
        <translation>日志：</translation>
    </message>
    <message>
        <source>(no lines)</source>
        <translation>（无日志行）</translation>
    </message>
    <message>
        <source>flow files reloaded</source>
        <translation>流程文件已重新加载</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a time such as 2026-12-06T06:30:00Z, 2026-12-06T08:30:00+02:00 or 2026-12-06</source>
        <translation>%1：“%2”不是 2026-12-06T06:30:00Z、2026-12-06T08:30:00+02:00 或 2026-12-06 这样的时间</translation>
    </message>
    <message>
        <source>list the slots missing from the slotted tables, as half-open ranges</source>
        <translation>以半开区间列出按时间槽存储的表中缺失的时间槽</translation>
    </message>
    <message>
        <source>Table to export (export); slotted table to look at (gaps).</source>
        <translation>要导出的表（export）；要检查的按时间槽存储的表（gaps）。</translation>
    </message>
    <message>
        <source>Start time for the preview (schedule next); first fire time, inclusive (backfill); start of the slots looked at, inclusive (gaps).</source>
        <translation>预览的起始时间（schedule next）；第一个触发时间，包含（backfill）；所检查时间槽的起始，包含（gaps）。</translation>
    </message>
    <message>
        <source>End of the fire times, exclusive (backfill); end of the slots looked at, exclusive (gaps).</source>
        <translation>触发时间的结束，不包含（backfill）；所检查时间槽的结束，不包含（gaps）。</translation>
    </message>
    <message>
        <source>text, csv or json (gaps; default text). A gap is FIRST MISSING up to END, the first slot after it (half-open).</source>
        <translation>text、csv 或 json（gaps；默认 text）。一个缺口是从“首个缺失”到“结束”（即缺口之后的第一个时间槽）的半开区间。</translation>
    </message>
    <message>
        <source>Usage: sluice gaps [--table T] [--from ISO8601] [--to ISO8601] [--format text|csv|json]</source>
        <translation>用法：sluice gaps [--table 表] [--from ISO8601] [--to ISO8601] [--format text|csv|json]</translation>
    </message>
    <message>
        <source>TABLE</source>
        <translation>表</translation>
    </message>
    <message>
        <source>SERIES</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>TIMEFRAME</source>
        <translation>时间粒度</translation>
    </message>
    <message>
        <source>FIRST MISSING</source>
        <translation>首个缺失</translation>
    </message>
    <message>
        <source>END (EXCLUSIVE)</source>
        <translation>结束（不包含）</translation>
    </message>
    <message>
        <source>SLOTS</source>
        <translation>时间槽数</translation>
    </message>
    <message>
        <source>--format: &quot;%1&quot; is not text, csv or json</source>
        <translation>--format：“%1”不是 text、csv 或 json</translation>
    </message>
    <message>
        <source>--from must be before --to</source>
        <translation>--from 必须早于 --to</translation>
    </message>
    <message>
        <source>--table: &quot;%1&quot; is not a slotted table; the warehouse has none</source>
        <translation>--table：“%1”不是按时间槽存储的表；数据仓库中没有这样的表</translation>
    </message>
    <message>
        <source>--table: &quot;%1&quot; is not a slotted table (one with timeframe and start_timestamp columns); they are %2</source>
        <translation>--table：“%1”不是按时间槽存储的表（即含有 timeframe 和 start_timestamp 列的表）；这样的表有：%2</translation>
    </message>
    <message>
        <source>No gaps</source>
        <translation>没有缺口</translation>
    </message>
    <message>
        <source>show which run store is used (sqlite or PostgreSQL) and check it</source>
        <translation>显示所用的运行存储（sqlite 或 PostgreSQL）并检查它</translation>
    </message>
    <message>
        <source>unknown argument &quot;%1&quot;</source>
        <translation>未知参数“%1”</translation>
    </message>
    <message>
        <source>Usage: sluice store [check] [--store URL]</source>
        <translation>用法：sluice store [check] [--store URL]</translation>
    </message>
    <message>
        <source>store: sqlite, %1 (from %2)</source>
        <translation>存储：sqlite，%1（来自 %2）</translation>
    </message>
    <message>
        <source>store: %1 (from %2)</source>
        <translation>存储：%1（来自 %2）</translation>
    </message>
    <message>
        <source>%1: the store&apos;s schema is version %2, newer than this Sluice knows (%3): update Sluice on this machine</source>
        <translation>%1：存储的架构版本为 %2，比此 Sluice 所知的版本（%3）更新：请在本机更新 Sluice</translation>
    </message>
    <message>
        <source>server: PostgreSQL %1</source>
        <translation>服务器：PostgreSQL %1</translation>
    </message>
    <message>
        <source>schema: none yet; the first sluice serve on this store creates it</source>
        <translation>架构：尚无；此存储上的第一个 sluice serve 会创建它</translation>
    </message>
    <message>
        <source>schema: version %1 (this Sluice: %2)</source>
        <translation>架构：版本 %1（此 Sluice：%2）</translation>
    </message>
    <message>
        <source>%1 (process %2, beat %3 s ago, %4 of %5 slots busy)</source>
        <translation>%1（进程 %2，%3 秒前心跳，%5 个槽位中 %4 个忙）</translation>
    </message>
    <message>
        <source>workers: %1</source>
        <translation>工作进程：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>queue: %1 scheduled, %2 running</source>
        <translation>队列：%1 个已排队，%2 个运行中</translation>
    </message>
    <message>
        <source>run the scheduler without a window; with a PostgreSQL store, as a fleet worker</source>
        <translation>在无窗口模式下运行调度器；使用 PostgreSQL 存储时作为集群工作进程运行</translation>
    </message>
    <message>
        <source>keyring or file (config set-password); the run store, sqlite or postgresql://user@host[:port]/database (store, serve, runs).</source>
        <translation>keyring 或 file（config set-password）；运行存储，sqlite 或 postgresql://user@host[:port]/database（store、serve、runs）。</translation>
    </message>
    <message>
        <source>Runs a fleet worker runs at once (serve on a PostgreSQL store; default 4).</source>
        <translation>集群工作进程同时执行的运行数（在 PostgreSQL 存储上 serve；默认 4）。</translation>
    </message>
    <message>
        <source>Usage: sluice config list | get KEY | set KEY VALUE | unset KEY | set-password [smtp|store] [--store keyring|file]</source>
        <translation>用法：sluice config list | get 键 | set 键 值 | unset 键 | set-password [smtp|store] [--store keyring|file]</translation>
    </message>
    <message>
        <source>&quot;set-password&quot; takes smtp (the default) or store, and reads the password from standard input</source>
        <translation>“set-password”接受 smtp（默认）或 store，并从标准输入读取密码</translation>
    </message>
    <message>
        <source>Store password: </source>
        <translation>存储密码： </translation>
    </message>
    <message>
        <source>cannot store the store password: %1</source>
        <translation>无法保存存储的密码：%1</translation>
    </message>
    <message>
        <source>store password stored in %1</source>
        <translation>存储密码已保存到 %1</translation>
    </message>
    <message>
        <source>the store has no run history yet: no worker has used it</source>
        <translation>该存储尚无运行历史：还没有工作进程使用过它</translation>
    </message>
    <message>
        <source>the store&apos;s schema is version %1, newer than this Sluice knows (%2)</source>
        <translation>该存储的结构版本为 %1，比此 Sluice 支持的版本（%2）更新</translation>
    </message>
    <message>
        <source>this worker leads the fleet: it queues the schedules&apos; fires</source>
        <translation>此工作进程是集群的领导者：由它将调度触发加入队列</translation>
    </message>
    <message>
        <source>this worker no longer leads the fleet</source>
        <translation>此工作进程不再是集群的领导者</translation>
    </message>
    <message>
        <source>claimed run %1 of %2 (attempt %3)</source>
        <translation>已认领 %2 的运行 %1（第 %3 次尝试）</translation>
    </message>
    <message>
        <source>claimed run %1 of %2</source>
        <translation>已认领 %2 的运行 %1</translation>
    </message>
    <message>
        <source>connected to the store again</source>
        <translation>已重新连接到存储</translation>
    </message>
    <message>
        <source>worker %1 was presumed dead by the fleet and its runs handed on; registered again as worker %2</source>
        <translation>集群认为工作进程 %1 已失效，其运行已移交；已重新注册为工作进程 %2</translation>
    </message>
    <message>
        <source>cancel of run %1 asked through the store</source>
        <translation>已通过存储请求取消运行 %1</translation>
    </message>
    <message>
        <source>Usage: sluice serve [--store URL] [--slots N]</source>
        <translation>用法：sluice serve [--store URL] [--slots N]</translation>
    </message>
    <message>
        <source>--slots takes a number of runs at once from 1 to 256, not &quot;%1&quot;</source>
        <translation>--slots 需要 1 到 256 之间的同时运行数，而不是“%1”</translation>
    </message>
    <message>
        <source>--slots is for a fleet worker on a PostgreSQL store (--store URL)</source>
        <translation>--slots 仅用于 PostgreSQL 存储上的集群工作进程（--store URL）</translation>
    </message>
    <message>
        <source>%1 for %2 is queued already</source>
        <translation>%1 在 %2 的触发已在队列中</translation>
    </message>
    <message>
        <source>worker %1 of the fleet on %2, %3 slot(s) (%4)</source>
        <translation>集群工作进程 %1，存储 %2，%3 个槽位（%4）</translation>
    </message>
</context>
<context>
    <name>Sluice::CompareDialog</name>
    <message>
        <source>Compare %1</source>
        <translation>比较 %1</translation>
    </message>
    <message>
        <source>On disk</source>
        <translation>磁盘上的版本</translation>
    </message>
    <message>
        <source>Yours (not saved)</source>
        <translation>您的版本（未保存）</translation>
    </message>
</context>
<context>
    <name>Sluice::CredentialFile</name>
    <message>
        <source>the credentials file is a symbolic link; refusing to use it</source>
        <translation>凭据文件是符号链接；拒绝使用</translation>
    </message>
    <message>
        <source>cannot read the credentials file: %1</source>
        <translation>无法读取凭据文件：%1</translation>
    </message>
    <message>
        <source>the credentials file is not a regular file</source>
        <translation>凭据文件不是普通文件</translation>
    </message>
    <message>
        <source>the credentials file belongs to another user (uid %1); refusing to use it. Store the password again with &quot;sluice config set-password --store file&quot;.</source>
        <translation>凭据文件属于其他用户（uid %1）；拒绝使用。请使用“sluice config set-password --store file”重新存储密码。</translation>
    </message>
    <message>
        <source>the credentials file can be accessed by other users (mode %1); refusing to use it. Make it readable only by you with: chmod 600 %2</source>
        <translation>凭据文件可被其他用户访问（权限模式 %1）；拒绝使用。请运行以下命令使其仅你本人可读：chmod 600 %2</translation>
    </message>
    <message>
        <source>the credentials file is too large to hold a password</source>
        <translation>凭据文件过大，不可能是存放密码的文件</translation>
    </message>
    <message>
        <source>cannot create the credentials file: %1</source>
        <translation>无法创建凭据文件：%1</translation>
    </message>
    <message>
        <source>cannot write the credentials file: %1</source>
        <translation>无法写入凭据文件：%1</translation>
    </message>
    <message>
        <source>cannot remove the credentials file: %1</source>
        <translation>无法删除凭据文件：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::CredentialStore</name>
    <message>
        <source>no keyring answered: %1</source>
        <translation>没有密钥环响应：%1</translation>
    </message>
    <message>
        <source>system keyring</source>
        <translation>系统密钥环</translation>
    </message>
    <message>
        <source>the system keyring</source>
        <translation>系统密钥环</translation>
    </message>
    <message>
        <source>%1 (readable only by you)</source>
        <translation>%1（仅你本人可读）</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
</context>
<context>
    <name>Sluice::CronExpression</name>
    <message>
        <source>the cron expression is empty</source>
        <translation>cron 表达式为空</translation>
    </message>
    <message>
        <source>unknown macro &quot;%1&quot;; the macros are %2</source>
        <translation>未知宏“%1”；可用的宏为 %2</translation>
    </message>
    <message>
        <source>expected 5 fields, got %1: &quot;%2&quot;</source>
        <translation>应有 5 个字段，实际为 %1 个：“%2”</translation>
    </message>
    <message>
        <source>the expression never fires: no month in &quot;%1&quot; has a day in &quot;%2&quot;</source>
        <translation>该表达式永远不会触发：“%1”中的任何月份都没有“%2”中的日期</translation>
    </message>
    <message>
        <source>the cron expression is not valid</source>
        <translation>cron 表达式无效</translation>
    </message>
    <message>
        <source>the start time is not valid</source>
        <translation>起始时间无效</translation>
    </message>
    <message>
        <source>the time zone is not valid</source>
        <translation>时区无效</translation>
    </message>
    <message>
        <source>the expression never fires in the %1 years after %2</source>
        <translation>该表达式在 %2 之后的 %1 年内都不会触发</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <source>January</source>
        <translation>一月</translation>
    </message>
    <message>
        <source>February</source>
        <translation>二月</translation>
    </message>
    <message>
        <source>March</source>
        <translation>三月</translation>
    </message>
    <message>
        <source>April</source>
        <translation>四月</translation>
    </message>
    <message>
        <source>May</source>
        <translation>五月</translation>
    </message>
    <message>
        <source>June</source>
        <translation>六月</translation>
    </message>
    <message>
        <source>July</source>
        <translation>七月</translation>
    </message>
    <message>
        <source>August</source>
        <translation>八月</translation>
    </message>
    <message>
        <source>September</source>
        <translation>九月</translation>
    </message>
    <message>
        <source>October</source>
        <translation>十月</translation>
    </message>
    <message>
        <source>November</source>
        <translation>十一月</translation>
    </message>
    <message>
        <source>December</source>
        <translation>十二月</translation>
    </message>
    <message>
        <source>every minute</source>
        <translation>每分钟</translation>
    </message>
    <message numerus="yes">
        <source>every %n minutes</source>
        <translation>
            <numerusform>每 %n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <source>every hour</source>
        <translation>每小时</translation>
    </message>
    <message>
        <source>every hour at minute %1</source>
        <translation>每小时的第 %1 分钟</translation>
    </message>
    <message>
        <source>at %1 every day</source>
        <translation>每天 %1</translation>
    </message>
    <message>
        <source>at %1 every %2</source>
        <translation>每%2 %1</translation>
    </message>
    <message>
        <source>at %1, %2 to %3</source>
        <translation>%2至%3 %1</translation>
    </message>
    <message>
        <source>at %1 on day %2 of every month</source>
        <translation>每月 %2 日 %1</translation>
    </message>
    <message>
        <source>at %1 on %2 %3</source>
        <translation>%2%3日 %1</translation>
    </message>
    <message>
        <source>empty list item in &quot;%1&quot;</source>
        <translation>“%1”中有空的列表项</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has more than one &quot;/&quot;</source>
        <translation>“%1”中有多个“/”</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has nothing before &quot;/&quot;</source>
        <translation>“%1”中“/”之前没有内容</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no step after &quot;/&quot;</source>
        <translation>“%1”中“/”之后没有步长</translation>
    </message>
    <message>
        <source>step &quot;%1&quot; in &quot;%2&quot; is not a number</source>
        <translation>“%2”中的步长“%1”不是数字</translation>
    </message>
    <message>
        <source>step 0 in &quot;%1&quot; (a step must be at least 1)</source>
        <translation>“%1”中的步长为 0（步长至少为 1）</translation>
    </message>
    <message>
        <source>step %1 in &quot;%2&quot; is larger than %3</source>
        <translation>“%2”中的步长 %1 大于 %3</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid range</source>
        <translation>“%1”不是有效的范围</translation>
    </message>
    <message>
        <source>range &quot;%1&quot; is backwards</source>
        <translation>范围“%1”起止颠倒</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is out of range %2-%3</source>
        <translation>“%1”超出范围 %2-%3</translation>
    </message>
    <message>
        <source>unknown name &quot;%1&quot;</source>
        <translation>未知名称“%1”</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a number or a name</source>
        <translation>“%1”既不是数字也不是名称</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a number</source>
        <translation>“%1”不是数字</translation>
    </message>
    <message>
        <source>minute</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>hour</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>day-of-month</source>
        <translation>日</translation>
    </message>
    <message>
        <source>month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>day-of-week</source>
        <translation>星期</translation>
    </message>
</context>
<context>
    <name>Sluice::CsvExporter</name>
    <message>
        <source>SQLite error in &quot;%1&quot;: %2</source>
        <translation>执行“%1”时出现 SQLite 错误：%2</translation>
    </message>
    <message>
        <source>cannot list the tables: %1</source>
        <translation>无法列出数据表：%1</translation>
    </message>
    <message>
        <source>cannot read the columns of table %1: %2</source>
        <translation>无法读取表 %1 的列：%2</translation>
    </message>
    <message>
        <source>the warehouse does not exist</source>
        <translation>数据仓库不存在</translation>
    </message>
    <message>
        <source>cannot start reading: %1</source>
        <translation>无法开始读取：%1</translation>
    </message>
    <message>
        <source>unknown table &quot;%1&quot;; the tables are %2</source>
        <translation>未知数据表“%1”；可用数据表为 %2</translation>
    </message>
    <message>
        <source>the range is empty: the start %1 is not before the end %2</source>
        <translation>范围为空：起始 %1 不早于结束 %2</translation>
    </message>
    <message>
        <source>cannot count the rows of %1: %2</source>
        <translation>无法统计 %1 的行数：%2</translation>
    </message>
    <message>
        <source>cannot write the CSV: %1</source>
        <translation>无法写入 CSV：%1</translation>
    </message>
    <message>
        <source>cannot read the rows: %1</source>
        <translation>无法读取行：%1</translation>
    </message>
    <message>
        <source>the export was cancelled</source>
        <translation>导出已取消</translation>
    </message>
    <message>
        <source>unknown table &quot;%1&quot;</source>
        <translation>未知数据表“%1”</translation>
    </message>
    <message>
        <source>a delimiter is one ASCII character other than a letter, a digit, &quot;.&quot;, &quot;+&quot;, &quot;-&quot;, a quote (&quot; or &apos;), CR, LF or NUL; &quot;tab&quot; or &quot;\t&quot; stands for a tab</source>
        <translation>分隔符须为单个 ASCII 字符，且不能是字母、数字、“.”、“+”、“-”、引号（&quot; 或 &apos;）、CR、LF 或 NUL；“tab”或“\t”表示制表符</translation>
    </message>
    <message>
        <source>SQLite error in the query: %1</source>
        <translation>查询中出现 SQLite 错误：%1</translation>
    </message>
    <message>
        <source>the query must be one statement</source>
        <translation>查询必须是单条语句</translation>
    </message>
    <message>
        <source>the query must be a SELECT that only reads</source>
        <translation>查询必须是只读的 SELECT 语句</translation>
    </message>
    <message>
        <source>the query&apos;s parameter %1 has no value; these do: %2</source>
        <translation>查询的参数 %1 没有值；有值的参数为：%2</translation>
    </message>
</context>
<context>
    <name>Sluice::CsvOutputFile</name>
    <message>
        <source>cannot write the CSV file: it is a folder</source>
        <translation>无法写入 CSV 文件：该路径是一个文件夹</translation>
    </message>
    <message>
        <source>cannot write the CSV file: %1</source>
        <translation>无法写入 CSV 文件：%1</translation>
    </message>
    <message>
        <source>cannot open it for writing: %1</source>
        <translation>无法以写入方式打开：%1</translation>
    </message>
    <message>
        <source>cannot write the CSV file: it was replaced while being opened</source>
        <translation>无法写入 CSV 文件：打开期间它已被替换</translation>
    </message>
    <message>
        <source>cannot write the CSV file: %1 is not a folder</source>
        <translation>无法写入 CSV 文件：%1 不是文件夹</translation>
    </message>
    <message>
        <source>cannot write the CSV file: the folder %1 does not exist</source>
        <translation>无法写入 CSV 文件：文件夹 %1 不存在</translation>
    </message>
    <message>
        <source>cannot create a file in the folder %1: %2</source>
        <translation>无法在文件夹 %1 中创建文件：%2</translation>
    </message>
    <message>
        <source>cannot write the CSV file: %1 is no longer a regular file, so it was left as it is</source>
        <translation>无法写入 CSV 文件：%1 已不再是普通文件，因此保持原样未动</translation>
    </message>
</context>
<context>
    <name>Sluice::CsvReader</name>
    <message>
        <source>cannot open the CSV file: %1</source>
        <translation>无法打开 CSV 文件：%1</translation>
    </message>
    <message>
        <source>cannot read the CSV file: %1</source>
        <translation>无法读取 CSV 文件：%1</translation>
    </message>
    <message>
        <source>line %1: a quoted field is never closed</source>
        <translation>第 %1 行：带引号的字段未闭合</translation>
    </message>
    <message>
        <source>line %1: text after the closing quote of field %2</source>
        <translation>第 %1 行：字段 %2 的闭合引号之后还有文本</translation>
    </message>
</context>
<context>
    <name>Sluice::CsvWriter</name>
    <message>
        <source>the output took no more data</source>
        <translation>输出端不再接受数据</translation>
    </message>
</context>
<context>
    <name>Sluice::DailyReportFlow</name>
    <message>
        <source>no report recipients are configured (set them with: sluice config set report.recipients ADDRESS)</source>
        <translation>未配置报告收件人（可用以下命令设置：sluice config set report.recipients 地址）</translation>
    </message>
    <message>
        <source>all rows</source>
        <translation>所有行</translation>
    </message>
    <message numerus="yes">
        <source>exported %n row(s) of %1</source>
        <translation>
            <numerusform>已导出 %1 的 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Sluice report: %1</source>
        <translation>Sluice 报告：%1</translation>
    </message>
    <message numerus="yes">
        <source>The BTC price and network metrics (%1), %n row(s), are attached as CSV.

Sent by Sluice.</source>
        <translation>
            <numerusform>BTC 价格和网络指标（%1）共 %n 行，已作为 CSV 附件附上。

由 Sluice 发送。</numerusform>
        </translation>
    </message>
    <message>
        <source>emailed %1 to %2</source>
        <translation>已将 %1 通过电子邮件发送给 %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a day such as 2024-03-08, nor &quot;all&quot;</source>
        <translation>“%1”既不是 2024-03-08 这样的日期，也不是“all”</translation>
    </message>
    <message>
        <source>Emails the previous UTC day (or --param day=YYYY-MM-DD, or all) as CSV</source>
        <translation>以 CSV 格式通过电子邮件发送前一个 UTC 日的数据（或 --param day=YYYY-MM-DD 指定的日期，或 all）</translation>
    </message>
    <message>
        <source>the UTC day to send, YYYY-MM-DD, or &quot;all&quot;; empty: yesterday</source>
        <translation>要发送的 UTC 日期，YYYY-MM-DD，或“all”；留空：昨天</translation>
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
    <message>
        <source>&quot;%1&quot; is not UTF-8 text; Sluice reads folder names as UTF-8 and would use another folder than this one. Rename the folder, or choose one whose name is UTF-8</source>
        <translation>“%1”不是 UTF-8 文本；Sluice 按 UTF-8 读取文件夹名称，会用到另一个文件夹而不是这个。请重命名该文件夹，或选择名称为 UTF-8 的文件夹</translation>
    </message>
</context>
<context>
    <name>Sluice::DataView</name>
    <message>
        <source>No data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <source>The warehouse is empty. Run the btc-backfill flow to load the last 30 days of price, hash rate and difficulty.</source>
        <translation>数据仓库为空。运行 btc-backfill 流程以加载最近 30 天的价格、算力和难度。</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Local time</source>
        <translation>本地时间</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Filters: %1</source>
        <translation>筛选条件：%1</translation>
    </message>
    <message>
        <source>Counting rows…</source>
        <translation>正在统计行数…</translation>
    </message>
    <message>
        <source>Show btc-backfill</source>
        <translation>显示 btc-backfill</translation>
    </message>
    <message>
        <source>The selected rows are not one block, so the whole view is exported. To export only some rows, select one block of adjacent rows.</source>
        <translation>所选行不是一个连续的行块，因此将导出整个视图。若只想导出部分行，请选择一个由相邻行组成的行块。</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n row(s).</source>
        <translation>
            <numerusform>已复制 %n 行。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n row(s); %1 more are not loaded: scroll to them or use Export CSV….</source>
        <translation>
            <numerusform>已复制 %n 行；另有 %1 行尚未载入：请滚动到这些行，或使用“导出 CSV…”。</numerusform>
        </translation>
    </message>
    <message>
        <source>Rows %1–%2 of %3</source>
        <translation>第 %1–%2 行，共 %3 行</translation>
    </message>
    <message>
        <source>Empty every filter box (Escape empties the focused one)</source>
        <translation>清空所有筛选框（Esc 清空当前获得焦点的筛选框）</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>数据表</translation>
    </message>
    <message>
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <source>A date and time: 2024-01-05 (the whole day), &gt;=2024-01-05 10:00, 2024-01..2024-03, &lt;1704412800 (Unix seconds), NULL</source>
        <translation>日期时间：2024-01-05（整天）、&gt;=2024-01-05 10:00、2024-01..2024-03、&lt;1704412800（Unix 秒数）、NULL</translation>
    </message>
    <message>
        <source>A number: 42, &gt;100, &lt;=5e20, 100..200 (both included), !=0, NULL, !NULL</source>
        <translation>数字：42、&gt;100、&lt;=5e20、100..200（包含两端）、!=0、NULL、!NULL</translation>
    </message>
    <message>
        <source>Text: abc (contains), =abc (exactly), !=abc, &gt;m, NULL, !NULL, &quot;=abc&quot; (contains =abc)</source>
        <translation>文本：abc（包含）、=abc（完全相同）、!=abc、&gt;m、NULL、!NULL、&quot;=abc&quot;（包含 =abc）</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>No rows</source>
        <translation>没有行</translation>
    </message>
    <message>
        <source>The rows are still being counted; try again in a moment.</source>
        <translation>仍在统计行数；请稍后再试。</translation>
    </message>
    <message>
        <source>No row is at or after %1: the last row is before it.</source>
        <translation>没有位于 %1 或之后的行：最后一行早于该时间。</translation>
    </message>
    <message numerus="yes">
        <source>%1
%2 row(s)</source>
        <translation>
            <numerusform>%1
%2 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s)</source>
        <translation>
            <numerusform>%1 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::DefaultSchedules</name>
    <message>
        <source>could not write the schedules file</source>
        <translation>无法写入调度计划文件</translation>
    </message>
</context>
<context>
    <name>Sluice::DefinitionDialog</name>
    <message>
        <source>Definition of run %1</source>
        <translation>运行 %1 的定义</translation>
    </message>
    <message>
        <source>%1
SHA-256 %2</source>
        <translation>%1
SHA-256 %2</translation>
    </message>
</context>
<context>
    <name>Sluice::DemoFlow</name>
    <message numerus="yes">
        <source>read batch %1 of %2 (%n rows)</source>
        <translation>
            <numerusform>已读取第 %1/%2 批（%n 行）</numerusform>
        </translation>
    </message>
    <message>
        <source>Tries the engine: two tasks in parallel, a merge, a report</source>
        <translation>试用引擎：两个并行任务、一次合并、一份报告</translation>
    </message>
    <message>
        <source>make the merge task fail</source>
        <translation>让合并任务失败</translation>
    </message>
    <message>
        <source>how long each task works, in milliseconds</source>
        <translation>每个任务的工作时长（毫秒）</translation>
    </message>
    <message>
        <source>cancelled before the merge</source>
        <translation>在合并前已取消</translation>
    </message>
    <message>
        <source>giving up: the failure was requested</source>
        <translation>放弃：已按请求失败</translation>
    </message>
    <message>
        <source>demo failure requested by the parameter fail=true</source>
        <translation>由参数 fail=true 请求的演示失败</translation>
    </message>
    <message numerus="yes">
        <source>merged %n row(s)</source>
        <translation>
            <numerusform>已合并 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>cancelled before the report</source>
        <translation>在报告前已取消</translation>
    </message>
    <message numerus="yes">
        <source>report: %n row(s) merged</source>
        <translation>
            <numerusform>报告：已合并 %n 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>cancelled after %n batch(es)</source>
        <translation>
            <numerusform>在 %n 个批次后已取消</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::DiskChangeBar</name>
    <message>
        <source>Reload (discard my edits)</source>
        <translation>重新加载（放弃我的编辑）</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的版本</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>The file changed on disk. Your edits are kept until you choose.</source>
        <translation>文件在磁盘上已被更改。在您作出选择之前，您的编辑会被保留。</translation>
    </message>
    <message>
        <source>The file was deleted on disk. Save writes it again.</source>
        <translation>文件已在磁盘上被删除。保存会重新写入该文件。</translation>
    </message>
</context>
<context>
    <name>Sluice::EmailStep</name>
    <message>
        <source>no settings to send mail with</source>
        <translation>没有可用于发送邮件的设置</translation>
    </message>
    <message>
        <source>no recipients: give `to`, or set them with: sluice config set report.recipients ADDRESS</source>
        <translation>没有收件人：请指定 `to`，或用以下命令设置：sluice config set report.recipients 地址</translation>
    </message>
    <message>
        <source>Sluice flow %1</source>
        <translation>Sluice 流程 %1</translation>
    </message>
    <message>
        <source>emailed &quot;%1&quot; to %2</source>
        <translation>已将“%1”通过电子邮件发送给 %2</translation>
    </message>
</context>
<context>
    <name>Sluice::Engine</name>
    <message>
        <source>Sluice is shutting down</source>
        <translation>Sluice 正在关闭</translation>
    </message>
    <message>
        <source>Sluice shut down while the task was running</source>
        <translation>任务运行期间 Sluice 已关闭</translation>
    </message>
    <message>
        <source>unknown flow &quot;%1&quot;; no flow is registered</source>
        <translation>未知流程“%1”；尚未注册任何流程</translation>
    </message>
    <message>
        <source>unknown flow &quot;%1&quot;; the flows are %2</source>
        <translation>未知流程“%1”；可用流程为 %2</translation>
    </message>
    <message>
        <source>flow &quot;%1&quot; is already running (run %2)</source>
        <translation>流程“%1”已在运行（运行 %2）</translation>
    </message>
    <message>
        <source>cancelled by the user</source>
        <translation>已被用户取消</translation>
    </message>
    <message>
        <source>run of flow &quot;%1&quot; not started: it could not be recorded: %2</source>
        <translation>流程“%1”的运行未启动：无法记录该运行：%2</translation>
    </message>
</context>
<context>
    <name>Sluice::ExactInteger</name>
    <message>
        <source>not a decimal number: %1</source>
        <translation>不是十进制数：%1</translation>
    </message>
    <message>
        <source>the number %1 is beyond the 128-bit range</source>
        <translation>数字 %1 超出 128 位范围</translation>
    </message>
    <message>
        <source>not a finite number: %1</source>
        <translation>不是有限数：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::ExportDialog</name>
    <message>
        <source>Write a header row</source>
        <translation>写入表头行</translation>
    </message>
    <message>
        <source>Safe for spreadsheets (text starting with = + - @ gets a &apos;)</source>
        <translation>电子表格安全模式（以 = + - @ 开头的文本前加 &apos;）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>Comma (,)</source>
        <translation>逗号 (,)</translation>
    </message>
    <message>
        <source>Semicolon (;)</source>
        <translation>分号 (;)</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>Pipe (|)</source>
        <translation>竖线 (|)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Delimiter:</source>
        <translation>分隔符：</translation>
    </message>
    <message>
        <source>all matching rows</source>
        <translation>所有匹配的行</translation>
    </message>
    <message>
        <source>Table %1, as filtered and sorted in the view: %2.</source>
        <translation>表 %1，按视图中的筛选和排序：%2。</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV 文件 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a file to export to.</source>
        <translation>请选择要导出到的文件。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Cancelled; no file was written.</source>
        <translation>已取消；未写入任何文件。</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>The result of the SQL statement: %1.</source>
        <translation>SQL 语句的结果：%1。</translation>
    </message>
    <message>
        <source>Only rows where: %1</source>
        <translation>仅限满足以下条件的行：%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s)</source>
        <translation>
            <numerusform>%1 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s) written</source>
        <translation>
            <numerusform>已写入 %1 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 row(s) written to %2</source>
        <translation>
            <numerusform>已将 %1 行写入 %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::ExportStep</name>
    <message>
        <source>cannot write the CSV to %1: it exists and is not a regular file</source>
        <translation>无法将 CSV 写入 %1：该路径已存在且不是普通文件</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message numerus="yes">
        <source>wrote %n row(s) to %1</source>
        <translation>
            <numerusform>已将 %n 行写入 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (database %2)</source>
        <translation>%1（数据库 %2）</translation>
    </message>
</context>
<context>
    <name>Sluice::FilterHeader</name>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Filter of column %1</source>
        <translation>列 %1 的筛选</translation>
    </message>
</context>
<context>
    <name>Sluice::FireTimes</name>
    <message>
        <source>more than %1 fire times between %2 and %3; choose a shorter range</source>
        <translation>%2 与 %3 之间的触发时间超过 %1 个；请选择更短的范围</translation>
    </message>
</context>
<context>
    <name>Sluice::FleetWorker</name>
    <message>
        <source>lost the store (%1); the runs go on, connecting again every %2 s</source>
        <translation>与存储的连接已断开（%1）；运行继续进行，每 %2 秒重新连接一次</translation>
    </message>
    <message>
        <source>this worker was presumed dead (no beat for %1 s) and the run was handed on</source>
        <translation>此工作进程被认为已失效（%1 秒无心跳），该运行已移交</translation>
    </message>
    <message>
        <source>cancelled through the store</source>
        <translation>已通过存储取消</translation>
    </message>
    <message>
        <source>run %1 of %2 was queued with another definition than %3 on this machine; it runs this machine&apos;s file</source>
        <translation>%2 的运行 %1 入队时的定义与本机的 %3 不同；将运行本机的文件</translation>
    </message>
    <message>
        <source>run %1 could not start here: %2</source>
        <translation>运行 %1 无法在此启动：%2</translation>
    </message>
    <message>
        <source>this worker is not the fleet&apos;s leader</source>
        <translation>此工作进程不是集群的领导者</translation>
    </message>
</context>
<context>
    <name>Sluice::Flow</name>
    <message>
        <source>flow &quot;%1&quot;</source>
        <translation>流程“%1”</translation>
    </message>
    <message>
        <source>a flow needs a name without spaces, not &quot;%1&quot;</source>
        <translation>流程需要不含空格的名称，而不是“%1”</translation>
    </message>
    <message>
        <source>the flow has no tasks</source>
        <translation>该流程没有任务</translation>
    </message>
    <message>
        <source>a parameter needs a name without &quot;=&quot;, not &quot;%1&quot;</source>
        <translation>参数需要不含“=”的名称，而不是“%1”</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; is declared twice</source>
        <translation>参数“%1”被声明了两次</translation>
    </message>
    <message>
        <source>the default of %1</source>
        <translation>%1 的默认值</translation>
    </message>
    <message>
        <source>task %1 has no name</source>
        <translation>任务 %1 没有名称</translation>
    </message>
    <message>
        <source>task &quot;%1&quot; is defined twice</source>
        <translation>任务“%1”被定义了两次</translation>
    </message>
    <message>
        <source>task &quot;%1&quot; has nothing to run</source>
        <translation>任务“%1”没有可执行的内容</translation>
    </message>
    <message>
        <source>task &quot;%1&quot; has a negative retry count or delay</source>
        <translation>任务“%1”的重试次数或延迟为负数</translation>
    </message>
    <message>
        <source>the retry policy or a timeout is negative</source>
        <translation>重试策略或超时为负数</translation>
    </message>
    <message>
        <source>task &quot;%1&quot; depends on &quot;%2&quot;, which is not a task of this flow</source>
        <translation>任务“%1”依赖于“%2”，但后者不是此流程中的任务</translation>
    </message>
    <message>
        <source>task &quot;%1&quot; names &quot;%2&quot; twice as upstream</source>
        <translation>任务“%1”将“%2”重复列为上游任务</translation>
    </message>
    <message>
        <source>the tasks form a cycle: %1</source>
        <translation>任务之间形成了循环：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowBuilder</name>
    <message>
        <source>the flow file could not be read</source>
        <translation>无法读取流程文件</translation>
    </message>
    <message>
        <source>step `%1`: steps of kind `%2` cannot run in this version</source>
        <translation>步骤 `%1`：此版本无法运行 `%2` 类型的步骤</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowEditor</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the file (%1)</source>
        <translation>保存文件（%1）</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Go back to the file on disk</source>
        <translation>恢复为磁盘上的文件</translation>
    </message>
    <message>
        <source>Open in external editor</source>
        <translation>在外部编辑器中打开</translation>
    </message>
    <message>
        <source>Line:column</source>
        <translation>行:列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>No file open</source>
        <translation>未打开文件</translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>不是常规文件</translation>
    </message>
    <message>
        <source>the file is larger than %1 KiB</source>
        <translation>文件大于 %1 KiB</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>无法读取文件：%1</translation>
    </message>
    <message>
        <source>No problems</source>
        <translation>没有问题</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n 个错误</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n 个警告</numerusform>
        </translation>
    </message>
    <message>
        <source>Errors: %1, warnings: %2</source>
        <translation>错误：%1，警告：%2</translation>
    </message>
    <message>
        <source>Save flow file</source>
        <translation>保存流程文件</translation>
    </message>
    <message numerus="yes">
        <source>Save with %n problem(s)?</source>
        <translation>
            <numerusform>存在 %n 个问题，仍要保存吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>The flow cannot run until they are fixed; it is listed with its first error.</source>
        <translation>在修复这些问题之前，该流程无法运行；流程列表中会显示其第一个错误。</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>仍然保存</translation>
    </message>
    <message>
        <source>%1 changed on disk. Replace it with your text?</source>
        <translation>%1 在磁盘上已被更改。要用您的文本替换它吗？</translation>
    </message>
    <message>
        <source>Compare shows both versions.</source>
        <translation>“比较”会显示两个版本。</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Discard your changes and load %1 from disk again?</source>
        <translation>要放弃您的更改并从磁盘重新加载 %1 吗？</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them?</source>
        <translation>%1 有未保存的更改。要保存吗？</translation>
    </message>
    <message>
        <source>No external editor could be opened. The file is at:
%1</source>
        <translation>无法打开外部编辑器。文件位于：
%1</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowFile</name>
    <message>
        <source>unterminated `${`: a variable ends with `}` on the same line; write `$${` for a literal `${`</source>
        <translation>未结束的 `${`：变量须在同一行内以 `}` 结尾；字面量 `${` 请写作 `$${`</translation>
    </message>
    <message>
        <source>the file name does not make a flow name: &quot;%1&quot; must be a letter, then letters, digits, `-` or `_`, at most 64</source>
        <translation>文件名不能构成流程名称：“%1”必须以字母开头，后跟字母、数字、`-` 或 `_`，最多 64 个字符</translation>
    </message>
    <message>
        <source>the name `%1` is taken by a built-in flow; rename the file</source>
        <translation>名称 `%1` 已被内置流程占用；请重命名该文件</translation>
    </message>
    <message>
        <source>duplicate step id `%1` (first at line %2)</source>
        <translation>步骤 id `%1` 重复（首次出现在第 %2 行）</translation>
    </message>
    <message>
        <source>step `%1` needs `%2`, which is not a step of this flow; did you mean `%3`?</source>
        <translation>步骤 `%1` 需要 `%2`，但它不是此流程的步骤；您是否指的是 `%3`？</translation>
    </message>
    <message>
        <source>step `%1` needs `%2`, which is not a step of this flow</source>
        <translation>步骤 `%1` 需要 `%2`，但它不是此流程的步骤</translation>
    </message>
    <message>
        <source>cycle in `needs`: %1</source>
        <translation>`needs` 中存在循环：%1</translation>
    </message>
    <message>
        <source>`%1` cannot be used in SQL: bind params as :NAME (`-` written `_`), and :run_id, :run_time, :run_date, :flow</source>
        <translation>`%1` 不能在 SQL 中使用：请绑定参数 :NAME（`-` 写作 `_`），以及 :run_id、:run_time、:run_date、:flow</translation>
    </message>
    <message>
        <source>unknown variable `%1`; write `$%1` for the shell&apos;s own</source>
        <translation>未知变量 `%1`；shell 自身的变量请写作 `$%1`</translation>
    </message>
    <message>
        <source>unknown variable `%1`; the variables are params.NAME, run.id, run.time, run.date, run.stamp, run.prev-time, flow.name, flow.dir, data-dir, env.NAME and steps.ID.output</source>
        <translation>未知变量 `%1`；可用变量为 params.NAME、run.id、run.time、run.date、run.stamp、run.prev-time、flow.name、flow.dir、data-dir、env.NAME 和 steps.ID.output</translation>
    </message>
    <message>
        <source>unknown param `%1` in `%2`; did you mean `%3`?</source>
        <translation>`%2` 中的未知参数 `%1`；您是否指的是 `%3`？</translation>
    </message>
    <message>
        <source>unknown param `%1` in `%2`</source>
        <translation>`%2` 中的未知参数 `%1`</translation>
    </message>
    <message>
        <source>`%1` can only be used in a step</source>
        <translation>`%1` 只能在步骤中使用</translation>
    </message>
    <message>
        <source>`%1` names `%2`, which is not a step of this flow</source>
        <translation>`%1` 指向 `%2`，但它不是此流程的步骤</translation>
    </message>
    <message>
        <source>`%1`: step `%2` is not upstream of step `%3`; add it to `needs`</source>
        <translation>`%1`：步骤 `%2` 不在步骤 `%3` 的上游；请将其添加到 `needs`</translation>
    </message>
    <message>
        <source>a param default may only use `${run.*}` variables, not `%1`</source>
        <translation>参数默认值只能使用 `${run.*}` 变量，不能使用 `%1`</translation>
    </message>
    <message>
        <source>param `%1` is never used (as `${params.%1}`, `:%2` in SQL or `$%3`)</source>
        <translation>参数 `%1` 从未被使用（作为 `${params.%1}`、SQL 中的 `:%2` 或 `$%3`）</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>没有此文件</translation>
    </message>
    <message>
        <source>not a regular file</source>
        <translation>不是常规文件</translation>
    </message>
    <message>
        <source>the file is larger than %1 KiB</source>
        <translation>文件大于 %1 KiB</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>无法读取文件：%1</translation>
    </message>
    <message>
        <source>the flow `%1` is already defined by %2</source>
        <translation>流程 `%1` 已由 %2 定义</translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; of param `%3` is not of type %4</source>
        <translation>参数 `%3` 的%1“%2”不是 %4 类型</translation>
    </message>
    <message>
        <source>param `%1` must be a map of type, default, required, choices, description, or a default value, not a list</source>
        <translation>参数 `%1` 必须是包含 type、default、required、choices、description 的映射，或一个默认值，而不能是列表</translation>
    </message>
    <message>
        <source>param `%1`</source>
        <translation>参数 `%1`</translation>
    </message>
    <message>
        <source>`choices` must be a non-empty list of values, not %1</source>
        <translation>`choices` 必须是非空的值列表，而不是%1</translation>
    </message>
    <message>
        <source>choice</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>default &quot;%1&quot; of param `%2` is not one of its choices: %3</source>
        <translation>参数 `%2` 的默认值“%1”不在其可选值中：%3</translation>
    </message>
    <message>
        <source>`params` must be a map of param names, not %1</source>
        <translation>`params` 必须是参数名称的映射，而不是%1</translation>
    </message>
    <message>
        <source>bad param name &quot;%1&quot;: a letter, then letters, digits, `-` or `_`, at most 64</source>
        <translation>参数名称“%1”无效：必须以字母开头，后跟字母、数字、`-` 或 `_`，最多 64 个字符</translation>
    </message>
    <message>
        <source>`schedule` needs exactly one of `cron` and `every`</source>
        <translation>`schedule` 需要 `cron` 和 `every` 中的恰好一个</translation>
    </message>
    <message>
        <source>bad time zone &quot;%1&quot;: %2</source>
        <translation>时区“%1”无效：%2</translation>
    </message>
    <message>
        <source>`schedule` must be a cron expression or a map with `cron` or `every`, not %1</source>
        <translation>`schedule` 必须是 cron 表达式或包含 `cron` 或 `every` 的映射，而不是%1</translation>
    </message>
    <message>
        <source>bad cron expression &quot;%1&quot;: %2</source>
        <translation>cron 表达式“%1”无效：%2</translation>
    </message>
    <message>
        <source>bad interval &quot;%1&quot;: %2</source>
        <translation>间隔“%1”无效：%2</translation>
    </message>
    <message>
        <source>the file is empty: a flow needs at least `steps`</source>
        <translation>文件为空：流程至少需要 `steps`</translation>
    </message>
    <message>
        <source>a flow file must be a map of keys such as `steps`, not %1</source>
        <translation>流程文件必须是由 `steps` 等键组成的映射，而不是%1</translation>
    </message>
    <message>
        <source>the flow</source>
        <translation>该流程</translation>
    </message>
    <message>
        <source>`defaults` must be a map of %1, not %2</source>
        <translation>`defaults` 必须是%1的映射，而不是%2</translation>
    </message>
    <message>
        <source>the flow has no `steps`</source>
        <translation>流程没有 `steps`</translation>
    </message>
    <message>
        <source>a variable inside backquotes cannot be quoted safely; use `$(...)` instead</source>
        <translation>反引号中的变量无法安全地加引号；请改用 `$(...)`</translation>
    </message>
    <message>
        <source>a variable inside `$((...))` cannot be quoted; use its environment variable, such as `$SLUICE_PARAM_NAME`</source>
        <translation>`$((...))` 中的变量无法加引号；请使用其环境变量，例如 `$SLUICE_PARAM_NAME`</translation>
    </message>
    <message>
        <source>a variable inside the shell&apos;s own `$${...}` cannot be quoted safely</source>
        <translation>shell 自身的 `$${...}` 中的变量无法安全地加引号</translation>
    </message>
    <message>
        <source>a variable inside a here-document cannot be quoted; use its environment variable, such as `$SLUICE_PARAM_NAME`</source>
        <translation>here-document 中的变量无法加引号；请使用其环境变量，例如 `$SLUICE_PARAM_NAME`</translation>
    </message>
    <message>
        <source>a backslash right before `${` would undo the quoting of the value; write `$${` for a literal `${`</source>
        <translation>紧挨在 `${` 前面的反斜杠会使值的引号失效；字面量 `${` 请写作 `$${`</translation>
    </message>
    <message>
        <source>`steps` must be a non-empty list of steps, not %1</source>
        <translation>`steps` 必须是非空的步骤列表，而不是%1</translation>
    </message>
    <message>
        <source>an empty list</source>
        <translation>空列表</translation>
    </message>
    <message>
        <source>step %1 must be a map with `id` and a kind such as `run`, not %2</source>
        <translation>步骤 %1 必须是包含 `id` 和某种类型（例如 `run`）的映射，而不是%2</translation>
    </message>
    <message>
        <source>a step</source>
        <translation>一个步骤</translation>
    </message>
    <message>
        <source>step %1 has no `id`</source>
        <translation>步骤 %1 没有 `id`</translation>
    </message>
    <message>
        <source>bad step id &quot;%1&quot;: a letter, then letters, digits, `-` or `_`, at most 64</source>
        <translation>步骤 id“%1”无效：必须以字母开头，后跟字母、数字、`-` 或 `_`，最多 64 个字符</translation>
    </message>
    <message>
        <source>step %1 has two kinds, `%2` and `%3`; a step has exactly one</source>
        <translation>步骤 %1 有两种类型：`%2` 和 `%3`；一个步骤只能有一种</translation>
    </message>
    <message>
        <source>step %1 has no kind: give one of %2</source>
        <translation>步骤 %1 没有类型：请指定 %2 之一</translation>
    </message>
    <message>
        <source>`%1` applies only to `%2` steps</source>
        <translation>`%1` 仅适用于 `%2` 步骤</translation>
    </message>
    <message>
        <source>`run` is empty: give a command</source>
        <translation>`run` 为空：请提供命令</translation>
    </message>
    <message>
        <source>`run` must be shell text or a non-empty list of arguments, not %1</source>
        <translation>`run` 必须是 shell 文本或非空的参数列表，而不是%1</translation>
    </message>
    <message>
        <source>`%1` must be a map of %2, not %3</source>
        <translation>`%1` 必须是%2的映射，而不是%3</translation>
    </message>
    <message>
        <source>key column `%1` is not among the columns (%2)</source>
        <translation>键列 `%1` 不在列中（%2）</translation>
    </message>
    <message>
        <source>`rows` must be a JSON pointer such as /data (or empty for the whole document), not &quot;%1&quot;</source>
        <translation>`rows` 必须是 JSON 指针，例如 /data（或为空表示整个文档），而不是“%1”</translation>
    </message>
    <message>
        <source>`columns` must map each column to a JSON pointer, not %1</source>
        <translation>`columns` 必须将每一列映射到一个 JSON 指针，而不是%1</translation>
    </message>
    <message>
        <source>bad column name &quot;%1&quot;: a letter or `_`, then letters, digits or `_`</source>
        <translation>列名“%1”无效：必须以字母或 `_` 开头，后跟字母、数字或 `_`</translation>
    </message>
    <message>
        <source>a column</source>
        <translation>一列</translation>
    </message>
    <message>
        <source>column `%1` has no `pointer`</source>
        <translation>列 `%1` 没有 `pointer`</translation>
    </message>
    <message>
        <source>column `%1` must be a JSON pointer such as /price, not &quot;%2&quot;</source>
        <translation>列 `%1` 必须是 JSON 指针，例如 /price，而不是“%2”</translation>
    </message>
    <message>
        <source>`http` needs a `url`</source>
        <translation>`http` 需要 `url`</translation>
    </message>
    <message>
        <source>`http` needs `into`, the table to fill</source>
        <translation>`http` 需要 `into`，即要填充的表</translation>
    </message>
    <message>
        <source>`columns` must map each column to integer, real or text, not %1</source>
        <translation>`columns` 必须将每一列映射到 integer、real 或 text，而不是%1</translation>
    </message>
    <message>
        <source>`import` needs a `file`</source>
        <translation>`import` 需要 `file`</translation>
    </message>
    <message>
        <source>`import` needs `into`, the table to fill</source>
        <translation>`import` 需要 `into`，即要填充的表</translation>
    </message>
    <message>
        <source>`export` needs exactly one of `query` and `table`</source>
        <translation>`export` 需要 `query` 和 `table` 中的恰好一个</translation>
    </message>
    <message>
        <source>`export` needs `to`, the file to write</source>
        <translation>`export` 需要 `to`，即要写入的文件</translation>
    </message>
    <message>
        <source>YAML nested deeper than %1 levels</source>
        <translation>YAML 嵌套超过 %1 层</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>YAML syntax: %1</source>
        <translation>YAML 语法：%1</translation>
    </message>
    <message>
        <source>unterminated quoted text: the closing %1 is missing</source>
        <translation>未结束的带引号文本：缺少闭合的 %1</translation>
    </message>
    <message>
        <source>YAML syntax: %1 (%2)</source>
        <translation>YAML 语法：%1（%2）</translation>
    </message>
    <message>
        <source>YAML syntax: unknown alias *%1</source>
        <translation>YAML 语法：未知别名 *%1</translation>
    </message>
    <message>
        <source>aliases of maps and lists are not supported in flow files</source>
        <translation>流程文件不支持映射和列表的别名</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>空值</translation>
    </message>
    <message>
        <source>a map</source>
        <translation>映射</translation>
    </message>
    <message>
        <source>a list</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>the text &quot;%1&quot;</source>
        <translation>文本“%1”</translation>
    </message>
    <message>
        <source>a key must be a plain name, not %1</source>
        <translation>键必须是普通名称，而不是%1</translation>
    </message>
    <message>
        <source>duplicate key `%1` (first at line %2)</source>
        <translation>键 `%1` 重复（首次出现在第 %2 行）</translation>
    </message>
    <message>
        <source>unknown key `%1` in %2; did you mean `%3`?</source>
        <translation>%2 中的未知键 `%1`；您是否指的是 `%3`？</translation>
    </message>
    <message>
        <source>unknown key `%1` in %2; the keys are %3</source>
        <translation>%2 中的未知键 `%1`；可用键为 %3</translation>
    </message>
    <message>
        <source>`%1` must be a text, not %2</source>
        <translation>`%1` 必须是文本，而不是%2</translation>
    </message>
    <message>
        <source>`%1` must be true or false, not %2</source>
        <translation>`%1` 必须是 true 或 false，而不是%2</translation>
    </message>
    <message>
        <source>`%1` must be a whole number from %2 to %3, not %4</source>
        <translation>`%1` 必须是 %2 到 %3 之间的整数，而不是 %4</translation>
    </message>
    <message>
        <source>`%1` must be a duration such as 90s, 5m, 2h or 1d (at most 366d), not %2</source>
        <translation>`%1` 必须是时长，例如 90s、5m、2h 或 1d（最多 366d），而不是 %2</translation>
    </message>
    <message>
        <source>`%1` must be one of %2, not %3</source>
        <translation>`%1` 必须是 %2 之一，而不是 %3</translation>
    </message>
    <message>
        <source>`%1` must be a text or a list of texts, not %2</source>
        <translation>`%1` 必须是文本或文本列表，而不是%2</translation>
    </message>
    <message>
        <source>each item of `%1` must be a text, not %2</source>
        <translation>`%1` 的每一项都必须是文本，而不是%2</translation>
    </message>
    <message>
        <source>`%1` must be a map of names to texts, not %2</source>
        <translation>`%1` 必须是名称到文本的映射，而不是%2</translation>
    </message>
    <message>
        <source>`%1.%2` must be a text, not %3</source>
        <translation>`%1.%2` 必须是文本，而不是%3</translation>
    </message>
    <message>
        <source>`%1` must be a table or column name (a letter or `_`, then letters, digits or `_`, at most 64), not &quot;%2&quot;</source>
        <translation>`%1` 必须是表名或列名（须以字母或 `_` 开头，后跟字母、数字或 `_`，最多 64 个字符），而不是“%2”</translation>
    </message>
    <message>
        <source>`%1` must name columns (a letter or `_`, then letters, digits or `_`), not &quot;%2&quot;</source>
        <translation>`%1` 必须指定列名（须以字母或 `_` 开头，后跟字母、数字或 `_`），而不是“%2”</translation>
    </message>
    <message>
        <source>`%1` must be one character (or &quot;tab&quot;), not &quot;%2&quot;</source>
        <translation>`%1` 必须是单个字符（或“tab”），而不是“%2”</translation>
    </message>
    <message>
        <source>a variable after a `case` inside `$(...)` cannot be quoted safely; use its environment variable, such as `$SLUICE_PARAM_NAME`</source>
        <translation>`$(...)` 中 `case` 之后的变量无法安全地加引号；请使用其环境变量，例如 `$SLUICE_PARAM_NAME`</translation>
    </message>
    <message>
        <source>`database:` is not a valid PostgreSQL URL: %1</source>
        <translation>`database:` 不是有效的 PostgreSQL URL：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowFileWriter</name>
    <message>
        <source>cannot save %1: it is not a regular file, so it was left as it is</source>
        <translation>无法保存 %1：它不是普通文件，因此保持原样未动</translation>
    </message>
    <message>
        <source>cannot save: the folder %1 does not exist</source>
        <translation>无法保存：文件夹 %1 不存在</translation>
    </message>
    <message>
        <source>cannot save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowGraphNodeItem</name>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Built-in task</source>
        <translation>内置任务</translation>
    </message>
    <message>
        <source>try %1/%2</source>
        <translation>第 %1/%2 次尝试</translation>
    </message>
    <message>
        <source>try %1</source>
        <translation>第 %1 次尝试</translation>
    </message>
    <message>
        <source>Kind: %1</source>
        <translation>类型：%1</translation>
    </message>
    <message>
        <source>Needs: %1</source>
        <translation>依赖：%1</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>状态：%1</translation>
    </message>
    <message>
        <source>Attempt: %1 of %2</source>
        <translation>尝试：第 %1 次，共 %2 次</translation>
    </message>
    <message>
        <source>Attempt: %1</source>
        <translation>尝试：第 %1 次</translation>
    </message>
    <message>
        <source>Duration: %1</source>
        <translation>耗时：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowGraphView</name>
    <message>
        <source>No steps to show</source>
        <translation>没有可显示的步骤</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowPane</name>
    <message>
        <source>Graph</source>
        <translation>流程图</translation>
    </message>
    <message>
        <source>Select a flow to see its steps</source>
        <translation>选择一个流程以查看其步骤</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel, +)</source>
        <translation>放大（Ctrl+滚轮，+）</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel, -)</source>
        <translation>缩小（Ctrl+滚轮，-）</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Fit the whole graph (Ctrl+0)</source>
        <translation>显示整个流程图（Ctrl+0）</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>%1 has no steps</source>
        <translation>%1 没有步骤</translation>
    </message>
    <message>
        <source>This flow file has errors: edit it to see its steps</source>
        <translation>此流程文件有错误：编辑它以查看其步骤</translation>
    </message>
    <message>
        <source>%1: never run</source>
        <translation>%1：从未运行</translation>
    </message>
    <message>
        <source>%1: run %2, %3 — click a step for its log</source>
        <translation>%1：运行 %2，%3 — 点击步骤查看其日志</translation>
    </message>
    <message>
        <source>Cannot open the flow file</source>
        <translation>无法打开流程文件</translation>
    </message>
    <message>
        <source>The steps appear here as you write them</source>
        <translation>编写时步骤会显示在这里</translation>
    </message>
    <message>
        <source>The steps as written, updated as you type</source>
        <translation>按所写内容显示的步骤，随输入更新</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>已创建 %1</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowRegistry</name>
    <message>
        <source>a flow of this name is already registered</source>
        <translation>已注册同名流程</translation>
    </message>
    <message>
        <source>flow &quot;%1&quot;</source>
        <translation>流程“%1”</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowRun</name>
    <message>
        <source>the task threw an exception: %1</source>
        <translation>任务抛出了异常：%1</translation>
    </message>
    <message>
        <source>the task threw an exception of an unknown type</source>
        <translation>任务抛出了未知类型的异常</translation>
    </message>
    <message>
        <source>%1 (attempt %2 follows in %3 ms)</source>
        <translation>%1（第 %2 次尝试将在 %3 毫秒后进行）</translation>
    </message>
    <message>
        <source>upstream task &quot;%1&quot; failed</source>
        <translation>上游任务“%1”失败</translation>
    </message>
    <message>
        <source>no result after %1 ms; the task was told to stop and its result will be discarded</source>
        <translation>%1 毫秒后仍无结果；已通知任务停止，其结果将被丢弃</translation>
    </message>
    <message>
        <source>upstream task &quot;%1&quot; timed out</source>
        <translation>上游任务“%1”超时</translation>
    </message>
    <message>
        <source>the task did not stop within %1 s of the cancel; its result will be discarded</source>
        <translation>取消后 %1 秒内任务未停止；其结果将被丢弃</translation>
    </message>
    <message>
        <source>the flow did not finish within %1 ms</source>
        <translation>流程未在 %1 毫秒内完成</translation>
    </message>
    <message>
        <source>upstream task &quot;%1&quot; was skipped</source>
        <translation>上游任务“%1”已跳过</translation>
    </message>
    <message>
        <source>%1; not retried: trying again would fail the same way</source>
        <translation>%1；未重试：再次尝试也会以同样的方式失败</translation>
    </message>
    <message>
        <source>reused from run %1</source>
        <translation>复用自运行 %1</translation>
    </message>
    <message>
        <source>Failed after %1 attempts: %2</source>
        <translation>尝试 %1 次后失败：%2</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Timed out: %1</source>
        <translation>超时：%1</translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation>已取消：%1</translation>
    </message>
    <message>
        <source>Retrying in %1 s (attempt %2 of %3): %4</source>
        <translation>%1 秒后重试（第 %2 次，共 %3 次）：%4</translation>
    </message>
    <message>
        <source>Retrying now (attempt %1 of %2): %3</source>
        <translation>立即重试（第 %1 次，共 %2 次）：%3</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowTableModel</name>
    <message>
        <source>Not scheduled</source>
        <translation>未调度</translation>
    </message>
    <message>
        <source>%1 (paused)</source>
        <translation>%1（已暂停）</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Never run</source>
        <translation>从未运行</translation>
    </message>
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
        <source>Cron / interval</source>
        <translation>Cron / 间隔</translation>
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
        <source>Queued</source>
        <translation>已排队</translation>
    </message>
    <message>
        <source>Waiting to be recorded in the run history (runs.sqlite); another program may hold it locked</source>
        <translation>正在等待记录到运行历史（runs.sqlite）中；可能有其他程序锁定了它</translation>
    </message>
    <message>
        <source>Invalid file: %1</source>
        <translation>无效文件：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowTemplates</name>
    <message>
        <source>Shell commands, one step after another</source>
        <translation>Shell 命令，逐个步骤依次执行</translation>
    </message>
    <message>
        <source>SQL statements on the warehouse</source>
        <translation>在数据仓库上执行的 SQL 语句</translation>
    </message>
    <message>
        <source>JSON from a web API into a warehouse table</source>
        <translation>将 Web API 返回的 JSON 导入数据仓库表</translation>
    </message>
    <message>
        <source>A CSV file into a warehouse table</source>
        <translation>将 CSV 文件导入数据仓库表</translation>
    </message>
    <message>
        <source>A query exported to CSV and sent by e-mail</source>
        <translation>将查询结果导出为 CSV 并通过电子邮件发送</translation>
    </message>
    <message>
        <source>bad flow name &quot;%1&quot;: a letter, then letters, digits, `-` or `_`, at most 64</source>
        <translation>流程名称“%1”无效：必须以字母开头，后跟字母、数字、`-` 或 `_`，最多 64 个字符</translation>
    </message>
    <message>
        <source>the name &quot;%1&quot; is taken by a built-in flow</source>
        <translation>名称“%1”已被内置流程占用</translation>
    </message>
    <message>
        <source>unknown template &quot;%1&quot;; the templates are %2</source>
        <translation>未知模板“%1”；可用模板为 %2</translation>
    </message>
    <message>
        <source>%1 already exists</source>
        <translation>%1 已存在</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>Sluice::FlowsView</name>
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
        <source>&amp;Pause schedule</source>
        <translation>暂停调度(&amp;P)</translation>
    </message>
    <message>
        <source>Stop or restart running the flow by its schedule</source>
        <translation>停止或恢复按调度计划运行该流程</translation>
    </message>
    <message>
        <source>&amp;Edit schedule…</source>
        <translation>编辑调度(&amp;E)…</translation>
    </message>
    <message>
        <source>Set when the flow runs by itself</source>
        <translation>设置流程自动运行的时间</translation>
    </message>
    <message>
        <source>Res&amp;ume schedule</source>
        <translation>恢复调度(&amp;U)</translation>
    </message>
    <message>
        <source>Cannot run %1</source>
        <translation>无法运行 %1</translation>
    </message>
    <message>
        <source>Started run %1 of %2</source>
        <translation>已开始 %2 的运行 %1</translation>
    </message>
    <message>
        <source>cancelled from the window</source>
        <translation>已从窗口中取消</translation>
    </message>
    <message>
        <source>Cancelling run %1 of %2…</source>
        <translation>正在取消 %2 的运行 %1…</translation>
    </message>
    <message>
        <source>Cannot change the schedule of %1</source>
        <translation>无法更改 %1 的调度计划</translation>
    </message>
    <message>
        <source>Cannot save the schedule of %1</source>
        <translation>无法保存 %1 的调度计划</translation>
    </message>
    <message>
        <source>Schedule of %1: %2</source>
        <translation>%1 的调度计划：%2</translation>
    </message>
    <message>
        <source>Starting %1…</source>
        <translation>正在启动 %1…</translation>
    </message>
    <message>
        <source>Run with &amp;parameters…</source>
        <translation>带参数运行(&amp;P)…</translation>
    </message>
    <message>
        <source>Choose the parameters of a run of the selected flow</source>
        <translation>为所选流程的一次运行选择参数</translation>
    </message>
    <message>
        <source>&amp;Backfill…</source>
        <translation>回填(&amp;B)…</translation>
    </message>
    <message>
        <source>Run the selected flow for each fire time of its schedule in a range</source>
        <translation>在一个时间范围内，按所选流程调度计划的每个触发时间各运行一次</translation>
    </message>
    <message>
        <source>Backfill started run %1</source>
        <translation>回填已开始运行 %1</translation>
    </message>
    <message>
        <source>Cannot remove the schedule of %1</source>
        <translation>无法移除 %1 的调度计划</translation>
    </message>
    <message>
        <source>%1 has no schedule now: it runs when you start it</source>
        <translation>%1 现在没有调度计划：只在您启动时运行</translation>
    </message>
    <message>
        <source>&amp;New flow…</source>
        <translation>新建流程(&amp;N)…</translation>
    </message>
    <message>
        <source>Write a new flow, starting from a template</source>
        <translation>从模板开始编写新流程</translation>
    </message>
    <message>
        <source>Ed&amp;it flow</source>
        <translation>编辑流程(&amp;I)</translation>
    </message>
    <message>
        <source>Open the selected flow&apos;s file in the editor</source>
        <translation>在编辑器中打开所选流程的文件</translation>
    </message>
    <message>
        <source>Write a flow file: it appears here with its schedule and runs.</source>
        <translation>编写一个流程文件：它会连同调度和运行记录显示在这里。</translation>
    </message>
    <message>
        <source>New flow…</source>
        <translation>新建流程…</translation>
    </message>
    <message>
        <source>%1 is built into Sluice; write a new flow to change what it does</source>
        <translation>%1 是 Sluice 内置的流程；如需改变其行为，请编写新流程</translation>
    </message>
</context>
<context>
    <name>Sluice::GapCache</name>
    <message>
        <source>not a regular file</source>
        <translation>不是普通文件</translation>
    </message>
    <message>
        <source>not a gap cache; left as it is</source>
        <translation>不是缺口缓存；保持原样</translation>
    </message>
    <message>
        <source>cannot write the gap cache: %1</source>
        <translation>无法写入缺口缓存：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::GapMap</name>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>cannot read the columns</source>
        <translation>无法读取列</translation>
    </message>
    <message>
        <source>cannot read the series of %1</source>
        <translation>无法读取 %1 的序列</translation>
    </message>
    <message>
        <source>cannot read the slots of %1</source>
        <translation>无法读取 %1 的时间槽</translation>
    </message>
    <message>
        <source>cannot count the rows of %1</source>
        <translation>无法统计 %1 的行数</translation>
    </message>
    <message>
        <source>cannot list the tables</source>
        <translation>无法列出数据表</translation>
    </message>
    <message>
        <source>the table %1 has no timeframe and start_timestamp columns</source>
        <translation>表 %1 没有 timeframe 和 start_timestamp 列</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message numerus="yes">
        <source>%n slot(s), %1</source>
        <translation>
            <numerusform>%n 个时间槽，%1</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot read the schema of %1</source>
        <translation>无法读取 %1 的结构</translation>
    </message>
    <message>
        <source>cannot open the database</source>
        <translation>无法打开数据库</translation>
    </message>
    <message>
        <source>cannot read the indexes</source>
        <translation>无法读取索引</translation>
    </message>
</context>
<context>
    <name>Sluice::GapPanel</name>
    <message>
        <source>Whole history</source>
        <translation>全部历史</translation>
    </message>
    <message>
        <source>Fill gaps…</source>
        <translation>填补缺口…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Run btc-backfill once for each missing range</source>
        <translation>对每个缺失范围各运行一次 btc-backfill</translation>
    </message>
    <message>
        <source>Show the whole history in the gap map (Home)</source>
        <translation>在缺口图中显示全部历史（Home）</translation>
    </message>
    <message>
        <source>Gaps:</source>
        <translation>缺口：</translation>
    </message>
    <message>
        <source>cannot map the gaps: %1</source>
        <translation>无法绘制缺口图：%1</translation>
    </message>
    <message>
        <source>Filling gap %1 of %2</source>
        <translation>正在填补第 %1 个缺口，共 %2 个</translation>
    </message>
    <message>
        <source>Filling cancelled: %1 filled, %2 failed</source>
        <translation>填补已取消：已填补 %1 个，失败 %2 个</translation>
    </message>
    <message>
        <source>Filled %1 gaps, %2 failed</source>
        <translation>已填补 %1 个缺口，失败 %2 个</translation>
    </message>
    <message>
        <source>no gaps</source>
        <translation>没有缺口</translation>
    </message>
    <message numerus="yes">
        <source>%n gap(s), %1 slots missing</source>
        <translation>
            <numerusform>%n 个缺口，缺失 %1 个时间槽</numerusform>
        </translation>
    </message>
    <message>
        <source>Fill gaps</source>
        <translation>填补缺口</translation>
    </message>
    <message numerus="yes">
        <source>Run btc-backfill %n time(s), once for each missing range, to fill %1 slots?</source>
        <translation>
            <numerusform>要运行 btc-backfill %n 次（每个缺失范围各一次）以填充 %1 个时间槽吗？</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::GapStrip</name>
    <message>
        <source>Gap map</source>
        <translation>缺口图</translation>
    </message>
    <message>
        <source>Present and missing slots of each series. Wheel, drag or + and - zoom, arrows pan, Home shows the whole history.</source>
        <translation>每个序列已有和缺失的时间槽。滚轮、拖动或 + 和 - 缩放，方向键平移，Home 显示全部历史。</translation>
    </message>
    <message>
        <source>%1 (local)</source>
        <translation>%1（本地）</translation>
    </message>
    <message>
        <source>%1 UTC</source>
        <translation>%1 UTC</translation>
    </message>
    <message>
        <source>%1: no slots here</source>
        <translation>%1：此处没有时间槽</translation>
    </message>
    <message>
        <source>%1: no gap here</source>
        <translation>%1：此处没有缺口</translation>
    </message>
    <message>
        <source>%1: missing %2 to %3 (end exclusive)
%4</source>
        <translation>%1：缺失 %2 至 %3（不含结束时间）
%4</translation>
    </message>
</context>
<context>
    <name>Sluice::GoToDialog</name>
    <message>
        <source>Go to time</source>
        <translation>转到时间</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>转到</translation>
    </message>
    <message>
        <source>Go to row</source>
        <translation>转到行</translation>
    </message>
    <message>
        <source>Row:</source>
        <translation>行：</translation>
    </message>
    <message>
        <source>1 to %1</source>
        <translation>1 到 %1</translation>
    </message>
    <message>
        <source>a row number</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>%1 (UTC):</source>
        <translation>%1（UTC）：</translation>
    </message>
    <message>
        <source>%1 (local):</source>
        <translation>%1（本地）：</translation>
    </message>
    <message>
        <source>yyyy-MM-dd HH:mm</source>
        <translation>yyyy-MM-dd HH:mm</translation>
    </message>
    <message>
        <source>“%1” is not a row number.</source>
        <translation>“%1”不是行号。</translation>
    </message>
    <message>
        <source>The view has no rows.</source>
        <translation>视图中没有行。</translation>
    </message>
    <message>
        <source>Row %1 is out of range: the view has rows 1 to %2.</source>
        <translation>第 %1 行超出范围：视图中的行为第 1 到 %2 行。</translation>
    </message>
    <message>
        <source>“%1” is not a date and time (yyyy-MM-dd HH:mm).</source>
        <translation>“%1”不是日期时间（yyyy-MM-dd HH:mm）。</translation>
    </message>
</context>
<context>
    <name>Sluice::HttpFetcher</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>no network access manager</source>
        <translation>没有网络访问管理器</translation>
    </message>
    <message>
        <source>called on a thread other than its network access manager&apos;s</source>
        <translation>在其网络访问管理器所属线程以外的线程上被调用</translation>
    </message>
    <message>
        <source>not an http:// or https:// URL</source>
        <translation>不是 http:// 或 https:// 网址</translation>
    </message>
    <message>
        <source>unusable proxy %1: %2</source>
        <translation>无法使用的代理 %1：%2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message numerus="yes">
        <source>timed out after %n s (%1, body incomplete)</source>
        <translation>
            <numerusform>%n 秒后超时（%1，响应体不完整）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>timed out after %n s</source>
        <translation>
            <numerusform>%n 秒后超时</numerusform>
        </translation>
    </message>
    <message>
        <source>response larger than %1 MB (%2)</source>
        <translation>响应大于 %1 MB（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%1, retry after %n s</source>
        <translation>
            <numerusform>%1，%n 秒后重试</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>host not found</source>
        <translation>找不到主机</translation>
    </message>
    <message>
        <source>the server closed the connection before the response was complete</source>
        <translation>服务器在响应完成前关闭了连接</translation>
    </message>
    <message>
        <source>the server closed the connection without a response</source>
        <translation>服务器未作响应就关闭了连接</translation>
    </message>
    <message>
        <source>the connection timed out</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>the proxy refused the connection</source>
        <translation>代理拒绝了连接</translation>
    </message>
    <message>
        <source>proxy host not found</source>
        <translation>找不到代理主机</translation>
    </message>
    <message>
        <source>the proxy requires authentication</source>
        <translation>代理需要身份验证</translation>
    </message>
    <message>
        <source>the proxy failed: %1</source>
        <translation>代理出错：%1</translation>
    </message>
    <message>
        <source>TLS handshake failed: %1</source>
        <translation>TLS 握手失败：%1</translation>
    </message>
    <message>
        <source>no HTTP status in the response</source>
        <translation>响应中没有 HTTP 状态码</translation>
    </message>
    <message>
        <source>%1 (%2 from %3, where the request was redirected)</source>
        <translation>%1（来自 %3 的 %2，请求已被重定向到该地址）</translation>
    </message>
    <message>
        <source>redirected to %1: %2</source>
        <translation>已重定向到 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>redirect loop: still redirected after %n hop(s), the last from %1 to %2</source>
        <translation>
            <numerusform>重定向循环：经过 %n 次跳转后仍在重定向，最后一次从 %1 到 %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 to %2, which is not an http:// or https:// URL</source>
        <translation>%1 指向 %2，但它不是 http:// 或 https:// 网址</translation>
    </message>
    <message>
        <source>%1 to %2: refused, a redirect from https to http would drop the encryption</source>
        <translation>%1 指向 %2：已拒绝，从 https 重定向到 http 会失去加密</translation>
    </message>
    <message>
        <source>%1 to %2: unusable proxy %3: %4</source>
        <translation>%1 指向 %2：无法使用的代理 %3：%4</translation>
    </message>
    <message>
        <source>%1 redirects to another host, %2: %3</source>
        <translation>%1 重定向到另一个主机 %2：%3</translation>
    </message>
    <message numerus="yes">
        <source>response larger than %n byte(s) (%1)</source>
        <translation>
            <numerusform>响应大于 %n 字节（%1）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::HttpStep</name>
    <message>
        <source>%1 is beyond the 64-bit integers</source>
        <translation>%1 超出 64 位整数范围</translation>
    </message>
    <message>
        <source>%1 is not a whole number</source>
        <translation>%1 不是整数</translation>
    </message>
    <message>
        <source>there is no value</source>
        <translation>没有值</translation>
    </message>
    <message>
        <source>the string &quot;%1&quot; is not a number</source>
        <translation>字符串“%1”不是数字</translation>
    </message>
    <message>
        <source>%1 is beyond the real numbers</source>
        <translation>%1 超出实数范围</translation>
    </message>
    <message>
        <source>%1 does not fit a column of type %2</source>
        <translation>%1 不符合 %2 类型的列</translation>
    </message>
    <message>
        <source>`url` &quot;%1&quot; is not an http:// or https:// URL</source>
        <translation>`url`“%1”不是 http:// 或 https:// 网址</translation>
    </message>
    <message>
        <source>header `%1` may not hold a line break</source>
        <translation>请求头 `%1` 不能包含换行符</translation>
    </message>
    <message numerus="yes">
        <source>%1: the server asks to wait %n s, more than %2 (%3 s)</source>
        <translation>
            <numerusform>%1：服务器要求等待 %n 秒，超过了 %2（%3 秒）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: the server asks to wait %n s before the next request</source>
        <translation>
            <numerusform>%1：服务器要求在下一次请求前等待 %n 秒</numerusform>
        </translation>
    </message>
    <message>
        <source>column `%1`: %2</source>
        <translation>列 `%1`：%2</translation>
    </message>
    <message>
        <source>`http` needs `columns`: each column of %1 and its JSON pointer</source>
        <translation>`http` 需要 `columns`：列出 %1 的每一列及其 JSON 指针</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>column `%1` at %2: %3</source>
        <translation>列 `%1`（位于 %2）：%3</translation>
    </message>
    <message numerus="yes">
        <source>stored %n row(s) in %1 (%2 read from %3)</source>
        <translation>
            <numerusform>已在 %1 中存储 %n 行（从 %3 读取了 %2 行）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::ImportStep</name>
    <message>
        <source>the header of %1 has no column `%2` (it has %3)</source>
        <translation>%1 的表头中没有列 `%2`（现有列：%3）</translation>
    </message>
    <message>
        <source>the delimiter must be one ASCII character</source>
        <translation>分隔符必须是单个 ASCII 字符</translation>
    </message>
    <message>
        <source>`import` without a header needs `columns`</source>
        <translation>没有表头的 `import` 需要 `columns`</translation>
    </message>
    <message numerus="yes">
        <source>%1:%2: %n field(s), expected at least %3</source>
        <translation>
            <numerusform>%1:%2：%n 个字段，应至少有 %3 个</numerusform>
        </translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message numerus="yes">
        <source>stored %n row(s) in %1 (%2 read from %3)</source>
        <translation>
            <numerusform>已在 %1 中存储 %n 行（从 %3 读取了 %2 行）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (database %2)</source>
        <translation>%1（数据库 %2）</translation>
    </message>
</context>
<context>
    <name>Sluice::IndexBuilder</name>
    <message>
        <source>cannot open the warehouse to create an index: %1</source>
        <translation>无法打开数据仓库以创建索引：%1</translation>
    </message>
    <message>
        <source>cannot create an index on %1.%2: the warehouse is read-only; an index needs a warehouse Sluice may write</source>
        <translation>无法在 %1.%2 上创建索引：数据仓库是只读的；创建索引需要 Sluice 可写入的数据仓库</translation>
    </message>
    <message>
        <source>the index on %1.%2 was not created: cancelled</source>
        <translation>未创建 %1.%2 上的索引：已取消</translation>
    </message>
    <message>
        <source>cannot create an index on %1.%2: another program is writing to the warehouse (it is locked); try again when it has finished</source>
        <translation>无法在 %1.%2 上创建索引：另一个程序正在写入数据仓库（已被锁定）；请在其完成后重试</translation>
    </message>
    <message>
        <source>cannot create an index on %1.%2: %3</source>
        <translation>无法在 %1.%2 上创建索引：%3</translation>
    </message>
</context>
<context>
    <name>Sluice::IniChecker</name>
    <message>
        <source>line 1 starts with a byte-order mark, which the INI reader takes for part of a line; save the file as UTF-8 without one</source>
        <translation>第 1 行以字节顺序标记（BOM）开头，INI 读取器会把它当作该行内容的一部分；请将文件另存为不带 BOM 的 UTF-8</translation>
    </message>
    <message>
        <source>line %1 is not UTF-8 text</source>
        <translation>第 %1 行不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>line %1 contains a NUL byte; this is not a text file</source>
        <translation>第 %1 行包含 NUL 字节；这不是文本文件</translation>
    </message>
    <message>
        <source>line %1 contains the control character 0x%2</source>
        <translation>第 %1 行包含控制字符 0x%2</translation>
    </message>
    <message>
        <source>line %1 opens a quote (&quot;) that it does not close; the INI reader would take the lines after it into the value</source>
        <translation>第 %1 行有未闭合的引号（&quot;）；INI 读取器会把其后的行也读入该值</translation>
    </message>
    <message>
        <source>line %1 starts a [section] without its closing ]</source>
        <translation>第 %1 行以 [ 开始一个节，但缺少结尾的 ]</translation>
    </message>
    <message>
        <source>line %1 has text after the ] of its section</source>
        <translation>第 %1 行在节的 ] 之后还有文本</translation>
    </message>
    <message>
        <source>line %1 is a section without a name</source>
        <translation>第 %1 行是一个没有名称的节</translation>
    </message>
    <message>
        <source>line %1 starts with #, which does not begin a comment here (a semicolon does)</source>
        <translation>第 %1 行以 # 开头，但此处 # 不表示注释（分号才表示注释）</translation>
    </message>
    <message>
        <source>line %1 is neither a [section], a key=value line, a ; comment nor blank</source>
        <translation>第 %1 行既不是 [节]、key=value 行、; 注释，也不是空行</translation>
    </message>
    <message>
        <source>line %1 has no key before =</source>
        <translation>第 %1 行的 = 之前没有键</translation>
    </message>
    <message>
        <source>line %1 sets %2 again (first on line %3); only one value would be kept</source>
        <translation>第 %1 行再次设置了 %2（首次在第 %3 行）；只会保留一个值</translation>
    </message>
    <message>
        <source>it is a folder, not a settings file</source>
        <translation>该路径是一个文件夹，而不是设置文件</translation>
    </message>
    <message>
        <source>it is not a regular file (a device, FIFO or socket)</source>
        <translation>该路径不是普通文件（而是设备、FIFO 或套接字）</translation>
    </message>
    <message>
        <source>it is larger than %1 KiB, which no settings file is</source>
        <translation>该文件大于 %1 KiB，不可能是设置文件</translation>
    </message>
    <message>
        <source>cannot read it: %1</source>
        <translation>无法读取：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::IntervalSchedule</name>
    <message>
        <source>no interval given; write a number and a unit, such as 90s, 5m or 2h</source>
        <translation>未指定间隔；请写一个数字和一个单位，例如 90s、5m 或 2h</translation>
    </message>
    <message>
        <source>&quot;%1&quot; does not start with a number; write for example 90s, 5m or 2h</source>
        <translation>“%1”不是以数字开头；请写成例如 90s、5m 或 2h</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no unit (use s, m or h)</source>
        <translation>“%1”没有单位（请使用 s、m 或 h）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has an unknown unit &quot;%2&quot; (use s, m or h)</source>
        <translation>“%1”中的单位“%2”未知（请使用 s、m 或 h）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is zero; an interval must be at least 1s</source>
        <translation>“%1”为零；间隔至少为 1s</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is longer than 366 days</source>
        <translation>“%1”超过 366 天</translation>
    </message>
    <message>
        <source>the anchor time is not valid</source>
        <translation>锚定时间无效</translation>
    </message>
    <message>
        <source>every hour</source>
        <translation>每小时</translation>
    </message>
    <message>
        <source>every minute</source>
        <translation>每分钟</translation>
    </message>
    <message>
        <source>every second</source>
        <translation>每秒</translation>
    </message>
</context>
<context>
    <name>Sluice::JsonNumber</name>
    <message>
        <source>not a JSON number: %1</source>
        <translation>不是 JSON 数字：%1</translation>
    </message>
    <message>
        <source>the number %1 is beyond the 128-bit range</source>
        <translation>数字 %1 超出 128 位范围</translation>
    </message>
    <message>
        <source>%1 is %2, expected an integer</source>
        <translation>%1为%2，应为整数</translation>
    </message>
</context>
<context>
    <name>Sluice::JsonPointer</name>
    <message>
        <source>a JSON pointer starts with &apos;/&apos; (or is empty for the whole document)</source>
        <translation>JSON 指针以 &apos;/&apos; 开头（或为空表示整个文档）</translation>
    </message>
    <message>
        <source>&apos;~&apos; in a JSON pointer must be followed by 0 or 1</source>
        <translation>JSON 指针中的 &apos;~&apos; 后面必须是 0 或 1</translation>
    </message>
</context>
<context>
    <name>Sluice::JsonReader</name>
    <message>
        <source>the document is empty</source>
        <translation>文档为空</translation>
    </message>
    <message>
        <source>unexpected data after the JSON value</source>
        <translation>JSON 值之后有多余的数据</translation>
    </message>
    <message>
        <source>invalid JSON at offset %1: %2</source>
        <translation>偏移量 %1 处的 JSON 无效：%2</translation>
    </message>
    <message>
        <source>unexpected end of data</source>
        <translation>数据意外结束</translation>
    </message>
    <message>
        <source>expected %1, found %2</source>
        <translation>应为%1，实际为%2</translation>
    </message>
    <message>
        <source>invalid literal, expected %1</source>
        <translation>无效的字面量，应为 %1</translation>
    </message>
    <message>
        <source>a JSON value</source>
        <translation>JSON 值</translation>
    </message>
    <message>
        <source>a digit</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>a digit after the decimal point</source>
        <translation>小数点后的数字</translation>
    </message>
    <message>
        <source>a digit in the exponent</source>
        <translation>指数中的数字</translation>
    </message>
    <message>
        <source>a hexadecimal digit</source>
        <translation>十六进制数字</translation>
    </message>
    <message>
        <source>control character in a string</source>
        <translation>字符串中有控制字符</translation>
    </message>
    <message>
        <source>lone low surrogate in a string</source>
        <translation>字符串中有孤立的低代理项</translation>
    </message>
    <message>
        <source>high surrogate without its low half</source>
        <translation>高代理项缺少对应的低代理项</translation>
    </message>
    <message>
        <source>an escape character</source>
        <translation>转义字符</translation>
    </message>
    <message>
        <source>nested deeper than %1 levels</source>
        <translation>嵌套深度超过 %1 层</translation>
    </message>
    <message>
        <source>&apos;,&apos; or &apos;]&apos;</source>
        <translation>“,”或“]”</translation>
    </message>
    <message>
        <source>a member name in quotes</source>
        <translation>带引号的成员名</translation>
    </message>
    <message>
        <source>&apos;:&apos;</source>
        <translation>“:”</translation>
    </message>
    <message>
        <source>&apos;,&apos; or &apos;}&apos;</source>
        <translation>“,”或“}”</translation>
    </message>
    <message>
        <source>null</source>
        <translation>null</translation>
    </message>
    <message>
        <source>a boolean</source>
        <translation>布尔值</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>字符串</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>数组</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>the document has no value at the JSON pointer &quot;%1&quot;</source>
        <translation>文档在 JSON 指针“%1”处没有值</translation>
    </message>
    <message>
        <source>the value at the JSON pointer &quot;%1&quot; is %2, expected an array</source>
        <translation>JSON 指针“%1”处的值为%2，应为数组</translation>
    </message>
</context>
<context>
    <name>Sluice::Keyring</name>
    <message numerus="yes">
        <source>the keyring did not answer within %n second(s)</source>
        <translation>
            <numerusform>密钥环未在 %n 秒内响应</numerusform>
        </translation>
    </message>
    <message>
        <source>QtKeychain error %1</source>
        <translation>QtKeychain 错误 %1</translation>
    </message>
    <message>
        <source>the keyring needs a running application object</source>
        <translation>密钥环需要一个正在运行的应用程序对象</translation>
    </message>
    <message>
        <source>the keyring was asked from its own thread</source>
        <translation>在密钥环自己的线程中向其发出了请求</translation>
    </message>
</context>
<context>
    <name>Sluice::LineThrottle</name>
    <message numerus="yes">
        <source>[%1 line(s) not shown: the step wrote faster than %2 lines a second]</source>
        <translation>
            <numerusform>[%1 行未显示：该步骤的输出速度超过每秒 %2 行]</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sluice::LogModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>Sluice::MailMessage</name>
    <message>
        <source>cannot read the attachment: %1</source>
        <translation>无法读取附件：%1</translation>
    </message>
    <message>
        <source>no sender address</source>
        <translation>没有发件人地址</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid email address</source>
        <translation>“%1”不是有效的电子邮件地址</translation>
    </message>
    <message>
        <source>no recipient</source>
        <translation>没有收件人</translation>
    </message>
</context>
<context>
    <name>Sluice::MailSettings</name>
    <message>
        <source>smtp.user is &quot;%1&quot; but no SMTP password is stored; store it with &quot;sluice config set-password&quot;</source>
        <translation>smtp.user 为“%1”，但未存储 SMTP 密码；请使用“sluice config set-password”存储</translation>
    </message>
    <message>
        <source>no keyring answered: %1</source>
        <translation>没有密钥环响应：%1</translation>
    </message>
    <message>
        <source>no SMTP server is set (smtp.host)</source>
        <translation>未设置 SMTP 服务器（smtp.host）</translation>
    </message>
    <message>
        <source>the SMTP port %1 is not between 1 and 65535</source>
        <translation>SMTP 端口 %1 不在 1 到 65535 之间</translation>
    </message>
    <message>
        <source>no sender address is set (smtp.from)</source>
        <translation>未设置发件人地址（smtp.from）</translation>
    </message>
    <message>
        <source>plain SMTP without encryption (smtp.security &quot;none&quot;) is allowed only for a loopback host such as localhost or 127.0.0.1, not %1; nothing was sent</source>
        <translation>不加密的 SMTP（smtp.security 为“none”）仅允许用于 localhost 或 127.0.0.1 等本机回环地址，不能用于 %1；未发送任何内容</translation>
    </message>
</context>
<context>
    <name>Sluice::Mailer</name>
    <message>
        <source>cancelled before sending</source>
        <translation>发送前已取消</translation>
    </message>
    <message>
        <source>libcurl could not be initialised</source>
        <translation>无法初始化 libcurl</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>%1 (the server said: %2)</source>
        <translation>%1（服务器返回：%2）</translation>
    </message>
    <message>
        <source>timed out after %1 s while connecting</source>
        <translation>连接时 %1 秒后超时</translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for the server&apos;s greeting</source>
        <translation>等待服务器问候消息时 %1 秒后超时</translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for the server to accept the message (the server said: %2)</source>
        <translation>等待服务器接受邮件时 %1 秒后超时（服务器返回：%2）</translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for the reply to %2 (the server&apos;s last reply: %3)</source>
        <translation>等待 %2 的回复时 %1 秒后超时（服务器的最后回复：%3）</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>host name not found: %1</source>
        <translation>找不到主机名：%1</translation>
    </message>
    <message>
        <source>connection refused (no SMTP server listens there)</source>
        <translation>连接被拒绝（该地址没有 SMTP 服务器在监听）</translation>
    </message>
    <message>
        <source>could not connect: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message>
        <source>%1 authentication failed</source>
        <translation>%1 身份验证失败</translation>
    </message>
    <message>
        <source>the server refused the login of &quot;%1&quot;: %2</source>
        <translation>服务器拒绝了“%1”的登录：%2</translation>
    </message>
    <message>
        <source>certificate verification failed: %1</source>
        <translation>证书验证失败：%1</translation>
    </message>
    <message>
        <source>the server does not offer STARTTLS, and smtp.security &quot;starttls&quot; requires it</source>
        <translation>服务器不支持 STARTTLS，而 smtp.security 为“starttls”时必须使用它</translation>
    </message>
    <message>
        <source>cannot use the CA certificates file %1: %2</source>
        <translation>无法使用 CA 证书文件 %1：%2</translation>
    </message>
    <message>
        <source>the TLS handshake failed: %1 (if port %2 expects STARTTLS, set smtp.security to starttls)</source>
        <translation>TLS 握手失败：%1（如果端口 %2 需要 STARTTLS，请将 smtp.security 设为 starttls）</translation>
    </message>
    <message>
        <source>the TLS handshake failed: %1</source>
        <translation>TLS 握手失败：%1</translation>
    </message>
    <message>
        <source>recipient refused: %1</source>
        <translation>收件人被拒绝：%1</translation>
    </message>
    <message>
        <source>sender refused: %1</source>
        <translation>发件人被拒绝：%1</translation>
    </message>
    <message>
        <source>message refused: %1</source>
        <translation>邮件被拒绝：%1</translation>
    </message>
    <message>
        <source>the server refused %1: %2</source>
        <translation>服务器拒绝了 %1：%2</translation>
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
    <message>
        <source>Sluice keeps running</source>
        <translation>Sluice 仍在运行</translation>
    </message>
    <message>
        <source>Flows still run on their schedules. Use the tray icon to open the window or to quit.</source>
        <translation>流程仍会按调度计划运行。可通过托盘图标打开窗口或退出。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 run %2 ended %3</source>
        <translation>%1 的运行 %2 已结束，状态：%3</translation>
    </message>
    <message>
        <source>Run %1 of %2 ended %3: %4</source>
        <translation>%2 的运行 %1 已结束（%3）：%4</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in progress</source>
        <translation>
            <numerusform>%n 个运行正在进行</numerusform>
        </translation>
    </message>
    <message>
        <source>warning:</source>
        <translation>警告：</translation>
    </message>
    <message>
        <source>Run %1 of %2 ended %3</source>
        <translation>%2 的运行 %1 已结束（%3）</translation>
    </message>
    <message>
        <source>%1 failed when its schedule started it (%2). It will try again at each scheduled time; you will not be told again until it works. To stop these attempts, pause its schedule.</source>
        <translation>%1 按调度计划启动时失败（%2）。它会在每个调度时间再次尝试；在成功之前不会再通知您。要停止这些尝试，请暂停其调度计划。</translation>
    </message>
    <message>
        <source>Pause schedule</source>
        <translation>暂停调度</translation>
    </message>
    <message>
        <source>Schedule of %1 paused</source>
        <translation>%1 的调度计划已暂停</translation>
    </message>
    <message>
        <source>Show run</source>
        <translation>查看运行</translation>
    </message>
</context>
<context>
    <name>Sluice::MempoolClient</name>
    <message numerus="yes">
        <source>%1 is further back than the 3y period of the mining API reaches (%n day(s) of margin included)</source>
        <translation>
            <numerusform>%1 早于挖矿 API 的 3y 周期所能覆盖的范围（已包含 %n 天的余量）</numerusform>
        </translation>
    </message>
    <message>
        <source>mempool.space mining API</source>
        <translation>mempool.space 挖矿 API</translation>
    </message>
    <message>
        <source>timestamp %1 is before Bitcoin&apos;s first block</source>
        <translation>时间戳 %1 早于比特币的第一个区块</translation>
    </message>
    <message>
        <source>timestamp %1 is in the future</source>
        <translation>时间戳 %1 晚于当前时间</translation>
    </message>
    <message>
        <source>expected a JSON object, got %1</source>
        <translation>应为 JSON 对象，实际为%1</translation>
    </message>
    <message>
        <source>no &quot;hashrates&quot; member</source>
        <translation>缺少“hashrates”成员</translation>
    </message>
    <message>
        <source>&quot;hashrates&quot; is %1, expected an array</source>
        <translation>“hashrates”为%1，应为数组</translation>
    </message>
    <message>
        <source>&quot;difficulty&quot; is %1, expected an array</source>
        <translation>“difficulty”为%1，应为数组</translation>
    </message>
    <message>
        <source>hash rate sample %1: %2</source>
        <translation>算力样本 %1：%2</translation>
    </message>
    <message>
        <source>expected an object, got %1</source>
        <translation>应为对象，实际为%1</translation>
    </message>
    <message>
        <source>no &quot;timestamp&quot; member</source>
        <translation>缺少“timestamp”成员</translation>
    </message>
    <message>
        <source>no &quot;avgHashrate&quot; member</source>
        <translation>缺少“avgHashrate”成员</translation>
    </message>
    <message>
        <source>timestamp is %1, expected an integer</source>
        <translation>时间戳为%1，应为整数</translation>
    </message>
    <message>
        <source>timestamp %1 is not a whole number of seconds</source>
        <translation>时间戳 %1 不是整数秒</translation>
    </message>
    <message>
        <source>avgHashrate is %1, expected a number</source>
        <translation>avgHashrate 为%1，应为数字</translation>
    </message>
    <message>
        <source>avgHashrate: %1</source>
        <translation>avgHashrate：%1</translation>
    </message>
    <message>
        <source>avgHashrate %1 is not positive</source>
        <translation>avgHashrate %1 不是正数</translation>
    </message>
    <message>
        <source>empty response: no hash rate samples for period %1</source>
        <translation>响应为空：周期 %1 内没有算力样本</translation>
    </message>
    <message>
        <source>hash rate sample %1: duplicate timestamp %2</source>
        <translation>算力样本 %1：时间戳 %2 重复</translation>
    </message>
    <message>
        <source>hash rate sample %1: timestamp %2 breaks the order of the list (neither oldest first nor newest first)</source>
        <translation>算力样本 %1：时间戳 %2 打乱了列表顺序（既不是从旧到新，也不是从新到旧）</translation>
    </message>
    <message>
        <source>no &quot;currentHashrate&quot; member</source>
        <translation>缺少“currentHashrate”成员</translation>
    </message>
    <message>
        <source>currentHashrate is %1, expected a number</source>
        <translation>currentHashrate 为%1，应为数字</translation>
    </message>
    <message>
        <source>currentHashrate: %1</source>
        <translation>currentHashrate：%1</translation>
    </message>
    <message>
        <source>currentHashrate %1 is negative</source>
        <translation>currentHashrate %1 为负数</translation>
    </message>
    <message>
        <source>no &quot;currentDifficulty&quot; member</source>
        <translation>缺少“currentDifficulty”成员</translation>
    </message>
    <message>
        <source>currentDifficulty is %1, expected a number</source>
        <translation>currentDifficulty 为%1，应为数字</translation>
    </message>
    <message>
        <source>currentDifficulty %1 is not a finite number &gt;= 0</source>
        <translation>currentDifficulty %1 不是 &gt;= 0 的有限数</translation>
    </message>
    <message>
        <source>expected a JSON array of adjustments, got %1</source>
        <translation>应为难度调整记录的 JSON 数组，实际为%1</translation>
    </message>
    <message>
        <source>adjustment %1: %2</source>
        <translation>调整记录 %1：%2</translation>
    </message>
    <message>
        <source>expected an array, got %1</source>
        <translation>应为数组，实际为%1</translation>
    </message>
    <message>
        <source>expected at least 4 fields, got %1</source>
        <translation>应至少有 4 个字段，实际为 %1 个</translation>
    </message>
    <message>
        <source>%1 %2 is not a whole number &gt;= 0</source>
        <translation>%1 %2 不是 &gt;= 0 的整数</translation>
    </message>
    <message>
        <source>%1 is %2, expected a number</source>
        <translation>%1为%2，应为数字</translation>
    </message>
    <message>
        <source>%1 %2 is not a finite number &gt; 0</source>
        <translation>%1 %2 不是 &gt; 0 的有限数</translation>
    </message>
    <message>
        <source>timestamp</source>
        <translation>时间戳</translation>
    </message>
    <message>
        <source>height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>difficulty</source>
        <translation>难度</translation>
    </message>
    <message>
        <source>change ratio</source>
        <translation>变化比率</translation>
    </message>
    <message>
        <source>empty response: no difficulty adjustments for period %1</source>
        <translation>响应为空：周期 %1 内没有难度调整记录</translation>
    </message>
    <message>
        <source>adjustment %1: duplicate timestamp %2</source>
        <translation>调整记录 %1：时间戳 %2 重复</translation>
    </message>
    <message>
        <source>adjustment %1: timestamp %2 breaks the order of the list (neither newest first nor oldest first)</source>
        <translation>调整记录 %1：时间戳 %2 打乱了列表顺序（既不是从新到旧，也不是从旧到新）</translation>
    </message>
    <message>
        <source>adjustment %1: height %2 does not follow the order of the timestamps (previous height %3)</source>
        <translation>调整记录 %1：高度 %2 与时间戳的顺序不一致（上一个高度为 %3）</translation>
    </message>
</context>
<context>
    <name>Sluice::NewFlowDialog</name>
    <message>
        <source>New flow</source>
        <translation>新建流程</translation>
    </message>
    <message>
        <source>e.g. daily-sales</source>
        <translation>例如 daily-sales</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>创建(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Start from:</source>
        <translation>起始模板(&amp;S)：</translation>
    </message>
    <message>
        <source>The flow&apos;s name is its file&apos;s name: letters, digits, - and _.</source>
        <translation>流程名即其文件名：字母、数字、- 和 _。</translation>
    </message>
    <message>
        <source>A name starts with a letter, then letters, digits, - or _ (at most 64).</source>
        <translation>名称以字母开头，后接字母、数字、- 或 _（最多 64 个字符）。</translation>
    </message>
    <message>
        <source>%1 is a built-in flow; choose another name.</source>
        <translation>%1 是内置流程；请另选名称。</translation>
    </message>
    <message>
        <source>There is a flow named %1 already.</source>
        <translation>已有名为 %1 的流程。</translation>
    </message>
    <message>
        <source>Creates %1.yaml in the flows folder and opens it in the editor.</source>
        <translation>在 flows 文件夹中创建 %1.yaml 并在编辑器中打开。</translation>
    </message>
</context>
<context>
    <name>Sluice::NoticeBar</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>Sluice::OpenFolder</name>
    <message>
        <source>Cannot open the folder</source>
        <translation>无法打开文件夹</translation>
    </message>
    <message>
        <source>No file manager answered. The folder is:
%1</source>
        <translation>没有文件管理器响应。文件夹位于：
%1</translation>
    </message>
</context>
<context>
    <name>Sluice::PagedRowsModel</name>
    <message>
        <source>%1 EH/s</source>
        <translation>%1 EH/s</translation>
    </message>
</context>
<context>
    <name>Sluice::Parameters</name>
    <message>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>any text</source>
        <translation>任意文本</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; must be %2 (%3), not &quot;%4&quot;</source>
        <translation>参数“%1”必须是%2（%3），而不是“%4”</translation>
    </message>
    <message>
        <source>unknown parameter &quot;%1&quot;; this flow takes no parameters</source>
        <translation>未知参数“%1”；此流程不接受参数</translation>
    </message>
    <message>
        <source>unknown parameter &quot;%1&quot;; the parameters are %2</source>
        <translation>未知参数“%1”；可用参数为 %2</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; has no value; write it as %1=VALUE</source>
        <translation>参数“%1”没有值；请写成 %1=值</translation>
    </message>
    <message>
        <source>&quot;%1&quot; names no parameter; write it as NAME=VALUE</source>
        <translation>“%1”没有指明参数名；请写成 名称=值</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; is given more than once</source>
        <translation>参数“%1”被多次给出</translation>
    </message>
    <message>
        <source>%1 (%2, default %3)</source>
        <translation>%1（%2，默认值 %3）</translation>
    </message>
    <message>
        <source>flow &quot;%1&quot;</source>
        <translation>流程“%1”</translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation>不小于 %1</translation>
    </message>
    <message>
        <source>at most %1</source>
        <translation>不大于 %1</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; is out of range %2: %3</source>
        <translation>参数“%1”超出范围（%2）：%3</translation>
    </message>
    <message>
        <source>a date YYYY-MM-DD</source>
        <translation>YYYY-MM-DD 格式的日期</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; must be one of %2, not &quot;%3&quot;</source>
        <translation>参数“%1”必须是 %2 之一，而不是“%3”</translation>
    </message>
    <message>
        <source>parameter &quot;%1&quot; is required; give it as --param %1=VALUE</source>
        <translation>参数“%1”为必填项；请以 --param %1=值 的形式给出</translation>
    </message>
    <message>
        <source>%1 (%2, required)</source>
        <translation>%1（%2，必填）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>Sluice::ParametersDialog</name>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>Parameters of this run of &quot;%1&quot;:</source>
        <translation>本次运行“%1”的参数：</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>default depends on the run time</source>
        <translation>默认值取决于运行时间</translation>
    </message>
    <message>
        <source>default %1</source>
        <translation>默认值 %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1（%2，%3）</translation>
    </message>
    <message>
        <source>%1 *:</source>
        <translation>%1 *：</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1：</translation>
    </message>
    <message>
        <source>* required: this parameter has no default.</source>
        <translation>* 必填：此参数没有默认值。</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Enter a value: this parameter has no default.</source>
        <translation>请输入值：此参数没有默认值。</translation>
    </message>
</context>
<context>
    <name>Sluice::PgConnection</name>
    <message numerus="yes">
        <source>no answer in %n second(s)</source>
        <translation>
            <numerusform>%n 秒内无应答</numerusform>
        </translation>
    </message>
    <message>
        <source>not a PostgreSQL store URL</source>
        <translation>不是 PostgreSQL 存储 URL</translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed; on Debian install libqt6sql6-psql</source>
        <translation>未安装 Qt 的 PostgreSQL 驱动（QPSQL）；在 Debian 上请安装 libqt6sql6-psql</translation>
    </message>
    <message>
        <source>no PostgreSQL server answers at %1 port %2 (%3)</source>
        <translation>%1 端口 %2 上没有 PostgreSQL 服务器应答（%3）</translation>
    </message>
    <message>
        <source>the server refused user &quot;%1&quot;: wrong password, unknown user, or not allowed by pg_hba.conf (give the password in the URL, the credential store or PGPASSFILE)</source>
        <translation>服务器拒绝了用户“%1”：密码错误、用户未知或 pg_hba.conf 不允许（请在 URL、凭据存储或 PGPASSFILE 中提供密码）</translation>
    </message>
    <message>
        <source>the database &quot;%1&quot; does not exist on the server; create it first (createdb %1)</source>
        <translation>服务器上不存在数据库“%1”；请先创建它（createdb %1）</translation>
    </message>
    <message>
        <source>cannot connect: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message>
        <source>PostgreSQL error in &quot;%1&quot;: %2</source>
        <translation>PostgreSQL 在“%1”中出错：%2</translation>
    </message>
    <message>
        <source>the server asks for the password of user &quot;%1&quot; and none was given: put it in the URL, keep it with &quot;sluice config set-password store&quot;, or in PGPASSFILE</source>
        <translation>服务器要求提供用户“%1”的密码，但未提供：请写在 URL 中，用“sluice config set-password store”保存，或放在 PGPASSFILE 中</translation>
    </message>
</context>
<context>
    <name>Sluice::PgCsvExporter</name>
    <message>
        <source>the connection is not open</source>
        <translation>连接未打开</translation>
    </message>
    <message>
        <source>the query must be one statement</source>
        <translation>查询必须是单条语句</translation>
    </message>
    <message>
        <source>unknown table &quot;%1&quot;; the tables are %2</source>
        <translation>未知表“%1”；可用表为 %2</translation>
    </message>
    <message>
        <source>the query must be a SELECT that only reads</source>
        <translation>查询必须是只读的 SELECT</translation>
    </message>
    <message>
        <source>the export was cancelled</source>
        <translation>导出已取消</translation>
    </message>
    <message>
        <source>PostgreSQL error in the query: %1</source>
        <translation>查询中的 PostgreSQL 错误：%1</translation>
    </message>
    <message>
        <source>cannot write the CSV: %1</source>
        <translation>无法写入 CSV：%1</translation>
    </message>
    <message>
        <source>cannot read the rows: %1</source>
        <translation>无法读取行：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::PgHistoryWriter</name>
    <message>
        <source>the server returned no run id</source>
        <translation>服务器未返回运行 ID</translation>
    </message>
    <message>
        <source>cannot record the run history: the store does not answer</source>
        <translation>无法记录运行历史：存储无应答</translation>
    </message>
    <message>
        <source>cannot record the run history: the commit failed</source>
        <translation>无法记录运行历史：提交失败</translation>
    </message>
    <message>
        <source>run %1 is no longer this worker&apos;s (it was presumed dead and the run handed on): its events are not recorded</source>
        <translation>运行 %1 已不属于此工作进程（它被认为已失效，运行已移交）：其事件不再记录</translation>
    </message>
</context>
<context>
    <name>Sluice::PgRunQueue</name>
    <message>
        <source>the server returned no worker id</source>
        <translation>服务器未返回工作进程 ID</translation>
    </message>
    <message>
        <source>cannot begin a transaction: %1</source>
        <translation>无法开始事务：%1</translation>
    </message>
    <message>
        <source>cannot commit: %1</source>
        <translation>无法提交：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::PgSchema</name>
    <message>
        <source>cannot begin a transaction: %1</source>
        <translation>无法开始事务：%1</translation>
    </message>
    <message>
        <source>the store&apos;s schema is version %1, newer than this Sluice knows (%2): update Sluice on this machine</source>
        <translation>存储的架构版本为 %1，比此 Sluice 所知的版本（%2）更新：请在本机更新 Sluice</translation>
    </message>
    <message>
        <source>cannot commit the schema: %1</source>
        <translation>无法提交架构：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::PgSql</name>
    <message>
        <source>no answer from the server</source>
        <translation>服务器无应答</translation>
    </message>
    <message>
        <source>%1 (SQLSTATE %2)</source>
        <translation>%1（SQLSTATE %2）</translation>
    </message>
    <message>
        <source>unknown parameter :%1; the parameters are %2</source>
        <translation>未知参数 :%1；可用参数为 %2</translation>
    </message>
    <message>
        <source>the connection is not open</source>
        <translation>连接未打开</translation>
    </message>
    <message>
        <source>cannot begin a transaction: %1</source>
        <translation>无法开始事务：%1</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>cannot commit: %1</source>
        <translation>无法提交：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::PgTableLoad</name>
    <message>
        <source>the connection is not open</source>
        <translation>连接未打开</translation>
    </message>
    <message>
        <source>cannot create the table %1: %2</source>
        <translation>无法创建表 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a table</source>
        <translation>%1 不是表</translation>
    </message>
    <message>
        <source>the table %1 has a column %2 that must be set and is not described</source>
        <translation>表 %1 有必须赋值的列 %2，但未在描述中给出</translation>
    </message>
    <message>
        <source>the column %1 of the table %2 is declared %3, not %4 as described</source>
        <translation>表 %2 的列 %1 声明为 %3，而不是描述中的 %4</translation>
    </message>
    <message>
        <source>the table %1 has no column %2</source>
        <translation>表 %1 没有列 %2</translation>
    </message>
    <message>
        <source>the table %1 has the key (%2), not (%3) as described</source>
        <translation>表 %1 的键为（%2），而不是描述中的（%3）</translation>
    </message>
    <message>
        <source>cannot insert into %1: %2</source>
        <translation>无法插入到 %1：%2</translation>
    </message>
    <message>
        <source>cannot commit the rows of %1: %2</source>
        <translation>无法提交 %1 的行：%2</translation>
    </message>
</context>
<context>
    <name>Sluice::QueryReader</name>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The warehouse is locked: a flow or another program kept it locked for more than %1 ms. Run the query again when it is done.</source>
        <translation>数据仓库已被锁定：某个流程或其他程序锁定它的时间超过了 %1 毫秒。请在其完成后重新运行查询。</translation>
    </message>
    <message>
        <source>The SQL tab is read-only: this statement writes to the warehouse (or attaches or changes a database). Change data with a flow&apos;s sql step.</source>
        <translation>“SQL”选项卡是只读的：此语句会写入数据仓库（或附加、更改数据库）。请通过流程的 sql 步骤更改数据。</translation>
    </message>
    <message>
        <source>There is no statement to run.</source>
        <translation>没有可运行的语句。</translation>
    </message>
    <message>
        <source>Run one statement at a time: put the cursor in it or select it.</source>
        <translation>一次只能运行一条语句：请将光标置于语句中或选中该语句。</translation>
    </message>
    <message>
        <source>The statement returns no rows: the SQL tab runs queries (SELECT, WITH, PRAGMA, EXPLAIN).</source>
        <translation>该语句不返回行：“SQL”选项卡用于运行查询（SELECT、WITH、PRAGMA、EXPLAIN）。</translation>
    </message>
</context>
<context>
    <name>Sluice::QueryResultModel</name>
    <message>
        <source>%1 (UTC)</source>
        <translation>%1（UTC）</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>Sluice::QuerySpool</name>
    <message>
        <source>Cannot make a directory for the query&apos;s rows in %1: %2</source>
        <translation>无法在 %1 中为查询结果的行创建目录：%2</translation>
    </message>
    <message>
        <source>Cannot write the query&apos;s rows to %1: %2</source>
        <translation>无法将查询结果的行写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot read the query&apos;s rows from %1: %2</source>
        <translation>无法从 %1 读取查询结果的行：%2</translation>
    </message>
    <message>
        <source>Cannot write the query&apos;s rows to %1 (is the disk full?): %2</source>
        <translation>无法将查询结果的行写入 %1（磁盘已满？）：%2</translation>
    </message>
    <message>
        <source>the file is shorter than written</source>
        <translation>文件比写入的内容短</translation>
    </message>
</context>
<context>
    <name>Sluice::RunHistoryReader</name>
    <message>
        <source>PostgreSQL error in &quot;%1&quot;: %2</source>
        <translation>PostgreSQL 在“%1”中出错：%2</translation>
    </message>
</context>
<context>
    <name>Sluice::RunRecorder</name>
    <message>
        <source>the Qt SQLite driver gives no SQLite handle</source>
        <translation>Qt SQLite 驱动未提供 SQLite 句柄</translation>
    </message>
    <message>
        <source>cannot record the run history: %1</source>
        <translation>无法记录运行历史：%1</translation>
    </message>
    <message>
        <source>… (truncated, %1 bytes)</source>
        <translation>…（已截断，原长 %1 字节）</translation>
    </message>
    <message numerus="yes">
        <source>%n log line(s) dropped: the run history could not be written for a while</source>
        <translation>
            <numerusform>已丢弃 %n 行日志：运行历史有一段时间无法写入</numerusform>
        </translation>
    </message>
    <message>
        <source>still writing</source>
        <translation>仍在写入</translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of the run history are not written yet: %1</source>
        <translation>
            <numerusform>运行历史中有 %n 个事件尚未写入：%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) of run(s) %1 are not written yet: %2</source>
        <translation>
            <numerusform>运行 %1 的 %n 个事件尚未写入：%2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n event(s) of run(s) %2 could not be written before the end (%3); runs left in progress show as Crashed at the next start</source>
        <translation>
            <numerusform>%1：运行 %2 的 %n 个事件在结束前未能写入（%3）；仍处于进行中的运行将在下次启动时显示为“已崩溃”</numerusform>
        </translation>
    </message>
    <message>
        <source>the run history is written again; it could not be for %1 s</source>
        <translation>运行历史已恢复写入；此前有 %1 秒无法写入</translation>
    </message>
    <message numerus="yes">
        <source>%1; keeping %n event(s) in memory and trying again</source>
        <translation>
            <numerusform>%1；在内存中保留 %n 个事件并重试</numerusform>
        </translation>
    </message>
    <message>
        <source>Sluice is shutting down</source>
        <translation>Sluice 正在关闭</translation>
    </message>
</context>
<context>
    <name>Sluice::RunState</name>
    <message>
        <source>Scheduled</source>
        <translation>已调度</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>重试中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>已超时</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>已崩溃</translation>
    </message>
    <message>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>调度</translation>
    </message>
    <message>
        <source>backfill</source>
        <translation>回填</translation>
    </message>
    <message>
        <source>retry</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>Sluice::RunStep</name>
    <message>
        <source>`${%1}`: %2</source>
        <translation>`${%1}`：%2</translation>
    </message>
    <message>
        <source>not run: %1</source>
        <translation>未运行：%1</translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation>无法运行 %1：%2</translation>
    </message>
    <message>
        <source>stopped (%1)</source>
        <translation>已停止（%1）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>the output is longer than %1 bytes: only its start is kept, and a step that reads it fails</source>
        <translation>输出超过 %1 字节：只保留开头部分，读取该输出的步骤将会失败</translation>
    </message>
</context>
<context>
    <name>Sluice::RunStore</name>
    <message>
        <source>the run history has schema version %1, newer than this Sluice understands (%2); use a newer Sluice or another data folder</source>
        <translation>运行历史的结构版本为 %1，高于此版本 Sluice 支持的版本（%2）；请使用更新的 Sluice 或其他数据文件夹</translation>
    </message>
    <message>
        <source>the process running it ended before the run finished</source>
        <translation>运行结束前，执行它的进程已退出</translation>
    </message>
    <message>
        <source>the process running the flow ended before the task finished</source>
        <translation>任务结束前，运行该流程的进程已退出</translation>
    </message>
    <message>
        <source>not run: the process running the flow ended first</source>
        <translation>未运行：运行该流程的进程已先行退出</translation>
    </message>
    <message>
        <source>SQLite error in &quot;%1&quot;: %2</source>
        <translation>执行“%1”时出现 SQLite 错误：%2</translation>
    </message>
</context>
<context>
    <name>Sluice::RunTableModel</name>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>触发方式</translation>
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
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>Sluice::RunsView</name>
    <message>
        <source>No runs yet</source>
        <translation>还没有运行记录</translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>跟随(&amp;F)</translation>
    </message>
    <message>
        <source>All flows</source>
        <translation>所有流程</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新加载(&amp;L)</translation>
    </message>
    <message>
        <source>Flow:</source>
        <translation>流程：</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <source>Run a flow from the Flows area; its runs, tasks and log appear here.</source>
        <translation>在“流程”区域运行一个流程，其运行记录、任务和日志会显示在这里。</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>所有级别</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <source>Search the log</source>
        <translation>搜索日志</translation>
    </message>
    <message>
        <source>Keep the newest line in view</source>
        <translation>始终显示最新一行</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the selected lines, or every shown line when none is selected</source>
        <translation>复制所选行；未选择任何行时复制所有显示的行</translation>
    </message>
    <message>
        <source>Could not read the run history: %1</source>
        <translation>无法读取运行历史：%1</translation>
    </message>
    <message>
        <source>Go to Flows</source>
        <translation>转到“流程”</translation>
    </message>
    <message>
        <source>Could not read the run to retry: %1</source>
        <translation>无法读取要重试的运行：%1</translation>
    </message>
    <message>
        <source>Could not start the retry: %1</source>
        <translation>无法开始重试：%1</translation>
    </message>
    <message>
        <source>Only this step&apos;s lines are shown; click to show every step&apos;s</source>
        <translation>仅显示此步骤的日志行；单击以显示所有步骤的日志行</translation>
    </message>
    <message>
        <source>Select a run to see its steps</source>
        <translation>选择一个运行以查看其步骤</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>流程图</translation>
    </message>
    <message>
        <source>This run has no steps yet</source>
        <translation>此运行还没有步骤</translation>
    </message>
    <message>
        <source>Step: %1  ✕</source>
        <translation>步骤：%1  ✕</translation>
    </message>
    <message>
        <source>Retry &amp;failed steps</source>
        <translation>重试失败的步骤(&amp;F)</translation>
    </message>
    <message>
        <source>A new run with the same parameters and time that reuses the steps that completed and runs the rest</source>
        <translation>以相同的参数和时间新建一次运行，复用已完成的步骤并运行其余步骤</translation>
    </message>
    <message>
        <source>Run &amp;again</source>
        <translation>再次运行(&amp;A)</translation>
    </message>
    <message>
        <source>A new run with the same parameters and time, every step anew</source>
        <translation>以相同的参数和时间新建一次运行，所有步骤全部重新运行</translation>
    </message>
    <message>
        <source>Show &amp;definition</source>
        <translation>显示定义(&amp;D)</translation>
    </message>
    <message>
        <source>The flow file as this run used it, read-only</source>
        <translation>此运行所用的流程文件（只读）</translation>
    </message>
    <message>
        <source>Run time %1 · built-in</source>
        <translation>运行时间 %1 · 内置</translation>
    </message>
    <message>
        <source>Run time %1 · definition %2 · %3</source>
        <translation>运行时间 %1 · 定义 %2 · %3</translation>
    </message>
    <message>
        <source>The flow %1 no longer exists.</source>
        <translation>流程 %1 已不存在。</translation>
    </message>
    <message>
        <source>The run has not ended yet.</source>
        <translation>该运行尚未结束。</translation>
    </message>
    <message>
        <source>%1
SHA-256 %2</source>
        <translation>%1
SHA-256 %2</translation>
    </message>
    <message>
        <source>Run %1 cannot be retried now.</source>
        <translation>运行 %1 现在无法重试。</translation>
    </message>
    <message>
        <source>Could not retry run %1: %2</source>
        <translation>无法重试运行 %1：%2</translation>
    </message>
    <message>
        <source>Starting a retry of run %1…</source>
        <translation>正在开始重试运行 %1…</translation>
    </message>
    <message>
        <source>Started run %1</source>
        <translation>已开始运行 %1</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1（%2）：%3</translation>
    </message>
</context>
<context>
    <name>Sluice::Schedule</name>
    <message>
        <source>unknown time zone &quot;%1&quot;; use an IANA name such as Europe/Berlin or UTC</source>
        <translation>未知时区“%1”；请使用 IANA 名称，例如 Europe/Berlin 或 UTC</translation>
    </message>
    <message>
        <source>unknown policy &quot;%1&quot;; the policies are skip, run-once and catch-up</source>
        <translation>未知策略“%1”；可用策略为 skip、run-once 和 catch-up</translation>
    </message>
    <message>
        <source>the start time is not valid</source>
        <translation>起始时间无效</translation>
    </message>
    <message>
        <source>no schedule</source>
        <translation>无调度</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a key=value pair</source>
        <translation>“%1”不是 key=value 形式的键值对</translation>
    </message>
    <message>
        <source>unknown key &quot;%1&quot;</source>
        <translation>未知键“%1”</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is given twice</source>
        <translation>“%1”出现了两次</translation>
    </message>
    <message>
        <source>neither cron= nor every= is given</source>
        <translation>既没有给出 cron= 也没有给出 every=</translation>
    </message>
    <message>
        <source>both cron= and every= are given</source>
        <translation>同时给出了 cron= 和 every=</translation>
    </message>
    <message>
        <source>anchor= belongs to an every= schedule</source>
        <translation>anchor= 只适用于 every= 调度</translation>
    </message>
    <message>
        <source>anchor &quot;%1&quot; is not an ISO 8601 date and time</source>
        <translation>锚定时间“%1”不是 ISO 8601 格式的日期时间</translation>
    </message>
    <message>
        <source>paused must be true or false, not &quot;%1&quot;</source>
        <translation>paused 必须是 true 或 false，而不是“%1”</translation>
    </message>
</context>
<context>
    <name>Sluice::ScheduleDialog</name>
    <message>
        <source>Schedule of %1</source>
        <translation>%1 的调度计划</translation>
    </message>
    <message>
        <source>Cron expression</source>
        <translation>Cron 表达式</translation>
    </message>
    <message>
        <source>Fixed interval</source>
        <translation>固定间隔</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Every minute</source>
        <translation>每分钟</translation>
    </message>
    <message>
        <source>Every 5 minutes</source>
        <translation>每 5 分钟</translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>每小时</translation>
    </message>
    <message>
        <source>Daily at…</source>
        <translation>每天定时…</translation>
    </message>
    <message>
        <source>Weekly on…</source>
        <translation>每周定时…</translation>
    </message>
    <message>
        <source>Run the latest missed time once</source>
        <translation>运行一次最近错过的时间</translation>
    </message>
    <message>
        <source>Skip missed times</source>
        <translation>跳过错过的时间</translation>
    </message>
    <message>
        <source>Catch up every missed time</source>
        <translation>补运行每个错过的时间</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Expression:</source>
        <translation>表达式：</translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation>时区：</translation>
    </message>
    <message>
        <source>Missed runs:</source>
        <translation>错过的运行：</translation>
    </message>
    <message>
        <source>Next runs:</source>
        <translation>接下来的运行：</translation>
    </message>
    <message>
        <source>&amp;Remove schedule</source>
        <translation>移除调度计划(&amp;R)</translation>
    </message>
    <message>
        <source>The flow then runs only when started by hand</source>
        <translation>之后该流程只在手动启动时运行</translation>
    </message>
    <message>
        <source>%1 UTC</source>
        <translation>%1 UTC</translation>
    </message>
    <message>
        <source>%1 (%2 UTC)</source>
        <translation>%1（%2 UTC）</translation>
    </message>
</context>
<context>
    <name>Sluice::ScheduleRunner</name>
    <message>
        <source>the schedule of &quot;%1&quot; is ignored: no such flow</source>
        <translation>已忽略“%1”的调度计划：没有该流程</translation>
    </message>
</context>
<context>
    <name>Sluice::ScheduleStore</name>
    <message>
        <source>no flow name given</source>
        <translation>未指定流程名称</translation>
    </message>
    <message>
        <source>the flow name is longer than 200 characters</source>
        <translation>流程名称超过 200 个字符</translation>
    </message>
    <message>
        <source>&quot;%1&quot; starts or ends with white space</source>
        <translation>“%1”的开头或结尾有空白字符</translation>
    </message>
    <message>
        <source>&quot;%1&quot; contains &apos;/&apos;, &apos;\&apos; or a control character</source>
        <translation>“%1”包含“/”、“\”或控制字符</translation>
    </message>
    <message>
        <source>the flow &quot;%1&quot; has no schedule</source>
        <translation>流程“%1”没有调度计划</translation>
    </message>
    <message>
        <source>no schedule to store for &quot;%1&quot;</source>
        <translation>没有可为“%1”存储的调度计划</translation>
    </message>
    <message>
        <source>could not write the file (no permission, or the disk is full)</source>
        <translation>无法写入文件（没有权限或磁盘已满）</translation>
    </message>
    <message>
        <source>the file is not a valid INI file</source>
        <translation>该文件不是有效的 INI 文件</translation>
    </message>
</context>
<context>
    <name>Sluice::SchedulerLock</name>
    <message>
        <source>another process holds the scheduler lock</source>
        <translation>另一个进程持有调度器锁</translation>
    </message>
    <message>
        <source>the scheduler of this data folder runs in process %1 (%2) on %3</source>
        <translation>此数据文件夹的调度器正在 %3 上的进程 %1（%2）中运行</translation>
    </message>
    <message>
        <source>unknown program</source>
        <translation>未知程序</translation>
    </message>
    <message>
        <source>an unknown host</source>
        <translation>未知主机</translation>
    </message>
    <message>
        <source>cannot create the lock file: permission denied</source>
        <translation>无法创建锁文件：权限不足</translation>
    </message>
    <message>
        <source>cannot create the lock file</source>
        <translation>无法创建锁文件</translation>
    </message>
</context>
<context>
    <name>Sluice::SchemaMigration</name>
    <message>
        <source>cannot read the schema version</source>
        <translation>无法读取数据库结构版本</translation>
    </message>
</context>
<context>
    <name>Sluice::SeriesFill</name>
    <message>
        <source>data quality too low: starting point missed: no sample at or before the first slot %1</source>
        <translation>数据质量过低：缺少起点：在第一个时间槽 %1 及之前没有样本</translation>
    </message>
    <message>
        <source>data quality too low: end point missed: no sample at or after the last slot %1</source>
        <translation>数据质量过低：缺少终点：在最后一个时间槽 %1 及之后没有样本</translation>
    </message>
    <message>
        <source>hash rate series</source>
        <translation>算力序列</translation>
    </message>
    <message>
        <source>the hash rate %1 at %2 is beyond the supported range (2^125)</source>
        <translation>%2 处的算力 %1 超出支持的范围（2^125）</translation>
    </message>
    <message>
        <source>difficulty series</source>
        <translation>难度序列</translation>
    </message>
    <message>
        <source>the difficulty at %1 is not a finite number</source>
        <translation>%1 处的难度不是有限数</translation>
    </message>
    <message>
        <source>price series</source>
        <translation>价格序列</translation>
    </message>
    <message>
        <source>the price at %1 is not a finite number</source>
        <translation>%1 处的价格不是有限数</translation>
    </message>
</context>
<context>
    <name>Sluice::SeriesMerge</name>
    <message>
        <source>cannot merge series of different slot ranges: price %1, hash rate %2, difficulty %3</source>
        <translation>无法合并时间槽范围不同的序列：价格 %1，算力 %2，难度 %3</translation>
    </message>
    <message>
        <source>merge</source>
        <translation>合并</translation>
    </message>
</context>
<context>
    <name>Sluice::SeriesReader</name>
    <message>
        <source>cannot read the clean table of %1: %2</source>
        <translation>无法读取 %1 的清洗后数据表：%2</translation>
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
    <message>
        <source>sqlite or postgresql://user[:password]@host[:port]/database</source>
        <translation>sqlite 或 postgresql://user[:password]@host[:port]/database</translation>
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
        <source>&quot;%1&quot; is not an email address; must be %2</source>
        <translation>“%1”不是电子邮件地址；必须是%2</translation>
    </message>
    <message>
        <source>%1 ignored: %2</source>
        <translation>已忽略 %1：%2</translation>
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
        <source>&quot;none&quot; (plain SMTP without encryption) is allowed only for a loopback host such as localhost or 127.0.0.1, and %1 is %2</source>
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
        <source>must be %1, not &quot;%2&quot;</source>
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
    <message>
        <source>Longest wait before a retry (s)</source>
        <translation>重试前最长等待时间（秒）</translation>
    </message>
    <message>
        <source>A source that asks to wait longer than this before the next request (Retry-After) fails the task at once, in seconds</source>
        <translation>数据源要求在下一次请求前等待（Retry-After）超过此时长时，任务立即失败（秒）</translation>
    </message>
    <message>
        <source>%1; Sluice goes on with the defaults for what it could not read, and leaves the file unchanged until it is fixed or removed</source>
        <translation>%1；Sluice 对无法读取的部分使用默认值，并在该文件被修复或删除之前保持其不变</translation>
    </message>
    <message>
        <source>%1; nothing was changed: Sluice rewrites only a settings file it can read in full, so fix or remove it first</source>
        <translation>%1；未做任何更改：Sluice 只会重写能完整读取的设置文件，请先修复或删除它</translation>
    </message>
    <message>
        <source>e.g. smtp.example.com</source>
        <translation>例如 smtp.example.com</translation>
    </message>
    <message>
        <source>STARTTLS (usually port 587)</source>
        <translation>STARTTLS（通常为端口 587）</translation>
    </message>
    <message>
        <source>TLS from the start (usually port 465)</source>
        <translation>从一开始就使用 TLS（通常为端口 465）</translation>
    </message>
    <message>
        <source>None (a server on this computer only)</source>
        <translation>无（仅限本机上的服务器）</translation>
    </message>
    <message>
        <source>often your email address</source>
        <translation>通常是您的电子邮件地址</translation>
    </message>
    <message>
        <source>e.g. sluice@example.com</source>
        <translation>例如 sluice@example.com</translation>
    </message>
    <message>
        <source>e.g. ann@example.com, bo@example.com</source>
        <translation>例如 ann@example.com, bo@example.com</translation>
    </message>
    <message>
        <source>none; or e.g. http://proxy:3128 or socks5://proxy:1080</source>
        <translation>无；或例如 http://proxy:3128 或 socks5://proxy:1080</translation>
    </message>
    <message>
        <source>The system&apos;s language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Start minimised to the tray, the window hidden until the tray icon is clicked</source>
        <translation>启动时最小化到托盘，在单击托盘图标之前隐藏窗口</translation>
    </message>
    <message>
        <source>Run store</source>
        <translation>运行存储</translation>
    </message>
    <message>
        <source>Where the run history and queue live: sqlite (in the data folder) or a PostgreSQL URL shared by a fleet of sluice serve workers</source>
        <translation>运行历史和队列所在位置：sqlite（在数据文件夹中），或由一组 sluice serve 工作进程共享的 PostgreSQL URL</translation>
    </message>
    <message>
        <source>sqlite, or postgresql://user@host:5432/database</source>
        <translation>sqlite，或 postgresql://user@host:5432/database</translation>
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
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Send &amp;test email</source>
        <translation>发送测试邮件(&amp;T)</translation>
    </message>
    <message>
        <source>Send a short email with the values above to the report recipients (or to the sender when there are none)</source>
        <translation>使用以上设置向报告收件人发送一封简短邮件（没有收件人时发送给发件人）</translation>
    </message>
    <message>
        <source>Where no keyring answers, keep it in a file in the data folder readable only by me</source>
        <translation>如果没有密钥环响应，则将其保存在文件中（位于数据文件夹，仅我本人可读）</translation>
    </message>
    <message>
        <source>Looking for a stored password…</source>
        <translation>正在查找已存储的密码…</translation>
    </message>
    <message>
        <source>No password is stored. Type one to store it.</source>
        <translation>未存储密码。输入密码即可存储。</translation>
    </message>
    <message>
        <source>A password is stored in %1. Type a new one to replace it; leave the field empty to keep it.</source>
        <translation>已在 %1 中存储密码。输入新密码可替换它；留空则保留原密码。</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未更改</translation>
    </message>
    <message>
        <source>Storing the password…</source>
        <translation>正在存储密码…</translation>
    </message>
    <message>
        <source>The password is stored in %1.</source>
        <translation>密码已存储在 %1 中。</translation>
    </message>
    <message>
        <source>The password was not stored: no keyring answered (%1). Tick &quot;keep it in a file&quot; to store it in %2, or clear the password field.</source>
        <translation>密码未存储：没有密钥环响应（%1）。勾选“保存在文件中”可将其存储到 %2，或清空密码字段。</translation>
    </message>
    <message>
        <source>The password was not stored: %1</source>
        <translation>密码未存储：%1</translation>
    </message>
    <message>
        <source>Sluice test email</source>
        <translation>Sluice 测试邮件</translation>
    </message>
    <message>
        <source>This is a test email from Sluice. Its SMTP settings work.</source>
        <translation>这是一封来自 Sluice 的测试邮件。其 SMTP 设置工作正常。</translation>
    </message>
    <message>
        <source>Sent to %1. Check the inbox.</source>
        <translation>已发送至 %1。请查看收件箱。</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <translation>正在发送至 %1…</translation>
    </message>
    <message>
        <source>%1. Changes cannot be saved until the file is fixed or removed.</source>
        <translation>%1。在修复或删除该文件之前，无法保存更改。</translation>
    </message>
    <message>
        <source>No password keyring is running on this desktop, so a password can only be kept in a file in the data folder (tick the box above). Point here for details.</source>
        <translation>此桌面上没有正在运行的密码密钥环，因此密码只能保存在数据文件夹中的文件里（请勾选上方的复选框）。将鼠标指向此处可查看详情。</translation>
    </message>
    <message>
        <source>The keyring said: %1</source>
        <translation>密钥环返回：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::SortIndexBar</name>
    <message>
        <source>Create index</source>
        <translation>创建索引</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sorting by %1 reads the whole table; an index would make it fast.</source>
        <translation>按 %1 排序需要读取整个表；创建索引可使其更快。</translation>
    </message>
    <message>
        <source>Creating an index on %1 (this reads the whole table once)…</source>
        <translation>正在为 %1 创建索引（需读取整个表一次）…</translation>
    </message>
    <message>
        <source>Sorting by %1 reads the whole table; the index was not created.</source>
        <translation>按 %1 排序需要读取整个表；未创建索引。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>Sluice::SourceProxyFactory</name>
    <message>
        <source>unsupported proxy scheme &quot;%1&quot; (use http:// or socks5://)</source>
        <translation>不支持的代理协议“%1”（请使用 http:// 或 socks5://）</translation>
    </message>
    <message>
        <source>the proxy URL has no host</source>
        <translation>代理网址中没有主机</translation>
    </message>
</context>
<context>
    <name>Sluice::SqlScript</name>
    <message>
        <source>cannot begin a transaction: %1</source>
        <translation>无法开始事务：%1</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>only named parameters (:name) can be bound</source>
        <translation>只能绑定命名参数（:name）</translation>
    </message>
    <message>
        <source>unknown parameter %1; the parameters are %2</source>
        <translation>未知参数 %1；可用参数为 %2</translation>
    </message>
    <message>
        <source>cannot commit: %1</source>
        <translation>无法提交：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::SqlStep</name>
    <message>
        <source>no database to run on</source>
        <translation>没有可运行的数据库</translation>
    </message>
    <message>
        <source>%1 (database %2)</source>
        <translation>%1（数据库 %2）</translation>
    </message>
</context>
<context>
    <name>Sluice::SqlView</name>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export results…</source>
        <translation>导出结果…</translation>
    </message>
    <message>
        <source>A query over the warehouse, read-only. Ctrl+Enter runs the statement under the cursor (or the selection), Esc cancels it, Ctrl+Up and Ctrl+Down recall earlier ones.

SELECT * FROM btc_usd_price_with_net_stat ORDER BY start_timestamp DESC;</source>
        <translation>对数据仓库的只读查询。Ctrl+Enter 运行光标所在的语句（或选中的内容），Esc 取消运行，Ctrl+Up 和 Ctrl+Down 调出先前的语句。

SELECT * FROM btc_usd_price_with_net_stat ORDER BY start_timestamp DESC;</translation>
    </message>
    <message>
        <source>Run the statement under the cursor, or the selection (Ctrl+Enter)</source>
        <translation>运行光标所在的语句或选中的内容（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Stop the running statement (Esc)</source>
        <translation>停止正在运行的语句（Esc）</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>The last %1 statements run (Ctrl+Up, Ctrl+Down)</source>
        <translation>最近运行的 %1 条语句（Ctrl+Up、Ctrl+Down）</translation>
    </message>
    <message>
        <source>There is no statement to run: write a query, then press Ctrl+Enter.</source>
        <translation>没有可运行的语句：请编写查询，然后按 Ctrl+Enter。</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) read… first rows in %1 ms</source>
        <translation>
            <numerusform>已读取 %Ln 行… 首批行用时 %1 毫秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cancelled after %1 ms, %Ln row(s) read</source>
        <translation>
            <numerusform>已取消，耗时 %1 毫秒，已读取 %Ln 行</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 after %2 ms</source>
        <translation>%1，耗时 %2 毫秒</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) in %1 ms</source>
        <translation>
            <numerusform>%Ln 行，耗时 %1 毫秒</numerusform>
        </translation>
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
        <source>SQLite error in &quot;%1&quot;: %2</source>
        <translation>执行“%1”时出现 SQLite 错误：%2</translation>
    </message>
    <message>
        <source>the Qt SQLite driver gives no SQLite handle</source>
        <translation>Qt SQLite 驱动未提供 SQLite 句柄</translation>
    </message>
    <message>
        <source>%1: %2 (SQLite error %3)</source>
        <translation>%1：%2（SQLite 错误 %3）</translation>
    </message>
</context>
<context>
    <name>Sluice::SqliteStatement</name>
    <message>
        <source>cannot prepare &quot;%1&quot;</source>
        <translation>无法准备语句“%1”</translation>
    </message>
</context>
<context>
    <name>Sluice::StateStyle</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
</context>
<context>
    <name>Sluice::StepContext</name>
    <message>
        <source>`${%1}`: step `%2` is not upstream of this step or did not complete</source>
        <translation>`${%1}`：步骤 `%2` 不在此步骤的上游，或未完成</translation>
    </message>
    <message>
        <source>`${%1}`: the output of step `%2` is longer than %3 bytes</source>
        <translation>`${%1}`：步骤 `%2` 的输出超过 %3 字节</translation>
    </message>
    <message>
        <source>unknown variable `${%1}`</source>
        <translation>未知变量 `${%1}`</translation>
    </message>
    <message>
        <source>step `%1` (%2)</source>
        <translation>步骤 `%1`（%2）</translation>
    </message>
    <message>
        <source>step `%1` (%2:%3:%4)</source>
        <translation>步骤 `%1`（%2:%3:%4）</translation>
    </message>
</context>
<context>
    <name>Sluice::StepDatabase</name>
    <message>
        <source>`database:` is not a PostgreSQL URL: %1</source>
        <translation>`database:` 不是 PostgreSQL URL：%1</translation>
    </message>
</context>
<context>
    <name>Sluice::StoreUrl</name>
    <message>
        <source>store URL</source>
        <translation>存储 URL</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a store: use sqlite or postgresql://user@host[:port]/database</source>
        <translation>“%1”不是存储：请使用 sqlite 或 postgresql://user@host[:port]/database</translation>
    </message>
    <message>
        <source>the URL has a space or control character (write it as %20)</source>
        <translation>URL 中有空格或控制字符（空格请写作 %20）</translation>
    </message>
    <message>
        <source>not a valid URL: check the host and port, and write @ : / # ? in the user or password as %40 %3A %2F %23 %3F</source>
        <translation>不是有效的 URL：请检查主机和端口，用户名或密码中的 @ : / # ? 请写作 %40 %3A %2F %23 %3F</translation>
    </message>
    <message>
        <source>a store URL has no #fragment</source>
        <translation>存储 URL 不能有 #片段</translation>
    </message>
    <message>
        <source>port %1 is not from 1 to 65535</source>
        <translation>端口 %1 不在 1 到 65535 之间</translation>
    </message>
    <message>
        <source>the URL names no database: add /DATABASE after the host</source>
        <translation>URL 未指定数据库：请在主机后加上 /数据库名</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a database name</source>
        <translation>“%1”不是数据库名</translation>
    </message>
    <message>
        <source>sslmode &quot;%1&quot; is not one of %2</source>
        <translation>sslmode“%1”不是 %2 之一</translation>
    </message>
    <message>
        <source>connect_timeout must be 1 to 600 seconds, not &quot;%1&quot;</source>
        <translation>connect_timeout 必须为 1 到 600 秒，而不是“%1”</translation>
    </message>
    <message>
        <source>host= in the query must be a socket folder (starting with /)</source>
        <translation>查询中的 host= 必须是套接字文件夹（以 / 开头）</translation>
    </message>
    <message>
        <source>unknown parameter &quot;%1&quot; (known: sslmode, connect_timeout, host)</source>
        <translation>未知参数“%1”（已知：sslmode、connect_timeout、host）</translation>
    </message>
    <message>
        <source>the URL names no host: postgresql://user@HOST/database</source>
        <translation>URL 未指定主机：postgresql://user@主机/database</translation>
    </message>
    <message>
        <source>the path after the host is more than a database name: write @ : / # ? in the user or password as %40 %3A %2F %23 %3F</source>
        <translation>主机后的路径不只是数据库名：用户名或密码中的 @ : / # ? 请写作 %40 %3A %2F %23 %3F</translation>
    </message>
</context>
<context>
    <name>Sluice::TableFilter</name>
    <message>
        <source>table %1 has no column &quot;%2&quot;; its columns are %3</source>
        <translation>表 %1 没有列“%2”；它的列为 %3</translation>
    </message>
    <message>
        <source>table %1 has no start_timestamp column to limit a range on</source>
        <translation>表 %1 没有可用于限定范围的 start_timestamp 列</translation>
    </message>
    <message>
        <source>a condition outside a range on &quot;%1&quot; needs its two ends</source>
        <translation>“%1”上的范围外条件需要两个端点</translation>
    </message>
</context>
<context>
    <name>Sluice::TableLoad</name>
    <message>
        <source>cannot begin a write transaction</source>
        <translation>无法开始写事务</translation>
    </message>
    <message>
        <source>row %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>cannot commit the rows of %1</source>
        <translation>无法提交 %1 的行</translation>
    </message>
</context>
<context>
    <name>Sluice::TableSpec</name>
    <message>
        <source>the table name &quot;%1&quot; is not an identifier (a letter or _, then letters, digits or _, at most %2, not sqlite_...)</source>
        <translation>表名“%1”不是标识符（须以字母或 _ 开头，后跟字母、数字或 _，最多 %2 个字符，且不能为 sqlite_...）</translation>
    </message>
    <message>
        <source>table %1 has no columns</source>
        <translation>表 %1 没有列</translation>
    </message>
    <message>
        <source>table %1: the column name &quot;%2&quot; is not an identifier (a letter or _, then letters, digits or _, at most %3, not sqlite_...)</source>
        <translation>表 %1：列名“%2”不是标识符（须以字母或 _ 开头，后跟字母、数字或 _，最多 %3 个字符，且不能为 sqlite_...）</translation>
    </message>
    <message>
        <source>table %1: the column %2 is named twice</source>
        <translation>表 %1：列 %2 被命名了两次</translation>
    </message>
    <message>
        <source>table %1: the key column %2 is not a column</source>
        <translation>表 %1：键列 %2 不是一个列</translation>
    </message>
    <message>
        <source>table %1: the key names the column %2 twice</source>
        <translation>表 %1：键中两次指定了列 %2</translation>
    </message>
</context>
<context>
    <name>Sluice::TableWriter</name>
    <message>
        <source>cannot create the table %1</source>
        <translation>无法创建表 %1</translation>
    </message>
    <message>
        <source>cannot look up the table %1</source>
        <translation>无法查找表 %1</translation>
    </message>
    <message>
        <source>%1 is a %2, not a table</source>
        <translation>%1 是%2，而不是表</translation>
    </message>
    <message>
        <source>the table %1 has a column %2 that must be set and is not described</source>
        <translation>表 %1 有一个必须赋值但未被描述的列 %2</translation>
    </message>
    <message>
        <source>the column %1 of the table %2 is declared %3, not %4 as described</source>
        <translation>表 %2 的列 %1 声明为 %3，而不是描述中的 %4</translation>
    </message>
    <message>
        <source>cannot read the columns of the table %1</source>
        <translation>无法读取表 %1 的列</translation>
    </message>
    <message>
        <source>the table %1 has no column %2</source>
        <translation>表 %1 没有列 %2</translation>
    </message>
    <message>
        <source>the table %1 has the key (%2), not (%3) as described</source>
        <translation>表 %1 的键为（%2），而不是描述中的（%3）</translation>
    </message>
    <message>
        <source>row %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>cannot insert into %1 at %2: the column %3 may not be null</source>
        <translation>无法在 %2 处插入 %1：列 %3 不能为空</translation>
    </message>
    <message>
        <source>cannot insert into %1 at %2: %3 does not fit the column %4 (%5)</source>
        <translation>无法在 %2 处插入 %1：%3 不符合列 %4（%5）</translation>
    </message>
    <message>
        <source>%1 values do not make whole rows of the %2 columns of %3</source>
        <translation>%1 个值无法构成 %3 的 %2 列的完整行</translation>
    </message>
    <message>
        <source>cannot bind %1 of %2 at %3</source>
        <translation>无法在 %3 处绑定 %2 的 %1</translation>
    </message>
    <message>
        <source>cannot insert into %1 at %2 to %3</source>
        <translation>无法将 %1 在 %2 处插入到 %3</translation>
    </message>
    <message>
        <source>cannot insert into %1 at %2</source>
        <translation>无法在 %2 处插入 %1</translation>
    </message>
    <message>
        <source>cannot begin a write transaction</source>
        <translation>无法开始写事务</translation>
    </message>
    <message>
        <source>cannot commit the rows of %1</source>
        <translation>无法提交 %1 的行</translation>
    </message>
</context>
<context>
    <name>Sluice::TaskTableModel</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>After: %1</source>
        <translation>前置任务：%1</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>尝试次数</translation>
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
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>%1
After: %2</source>
        <translation>%1
之后：%2</translation>
    </message>
</context>
<context>
    <name>Sluice::TimeGrid</name>
    <message>
        <source>not a timeframe: &quot;%1&quot; (expected a count and one of s, m, h, d, w, such as 5m)</source>
        <translation>不是有效的时间粒度：“%1”（应为数量加上 s、m、h、d、w 之一，例如 5m）</translation>
    </message>
</context>
<context>
    <name>Sluice::TrayIcon</name>
    <message>
        <source>&amp;Show Sluice</source>
        <translation>显示 Sluice(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Scheduler on</source>
        <translation>调度器已开启</translation>
    </message>
    <message>
        <source>Scheduler off</source>
        <translation>调度器已关闭</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>Sluice — %1, %n run(s) in progress</source>
        <translation>
            <numerusform>Sluice — %1，%n 个运行正在进行</numerusform>
        </translation>
    </message>
    <message>
        <source>Sluice — %1</source>
        <translation>Sluice — %1</translation>
    </message>
</context>
<context>
    <name>Sluice::Warehouse</name>
    <message>
        <source>the warehouse has schema version %1, newer than this Sluice understands (%2); use a newer Sluice or another data folder</source>
        <translation>数据仓库的结构版本为 %1，高于此版本 Sluice 支持的版本（%2）；请使用更新的 Sluice 或其他数据文件夹</translation>
    </message>
</context>
<context>
    <name>Sluice::WarehouseReader</name>
    <message>
        <source>cannot open table &quot;%1&quot; of %2: no such table</source>
        <translation>无法打开 %2 的数据表“%1”：没有该表</translation>
    </message>
    <message>
        <source>cannot count the rows of &quot;%1&quot; in %2: %3</source>
        <translation>无法统计 %2 中“%1”的行数：%3</translation>
    </message>
    <message>
        <source>cannot read rows: %1</source>
        <translation>无法读取行：%1</translation>
    </message>
    <message>
        <source>cannot go to %1 %2: %3</source>
        <translation>无法转到 %1 %2：%3</translation>
    </message>
</context>
<context>
    <name>Sluice::WarehouseTableModel</name>
    <message>
        <source>%1 (UTC)</source>
        <translation>%1（UTC）</translation>
    </message>
    <message>
        <source>%1 (local)</source>
        <translation>%1（本地）</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>Sluice::WarehouseWriter</name>
    <message>
        <source>cannot bind the key of %1</source>
        <translation>无法绑定 %1 的键</translation>
    </message>
    <message>
        <source>the rows for %1 are not in slot order at slot %2</source>
        <translation>%1 的行在时间槽 %2 处未按时间槽顺序排列</translation>
    </message>
    <message>
        <source>the row for %1 at slot %2 holds a value that is not a finite number</source>
        <translation>%1 在时间槽 %2 的行中含有非有限数的值</translation>
    </message>
    <message>
        <source>the load was cancelled after %1 of %2 slots</source>
        <translation>加载已在完成 %2 个时间槽中的 %1 个后被取消</translation>
    </message>
    <message>
        <source>cannot begin a write transaction</source>
        <translation>无法开始写事务</translation>
    </message>
    <message>
        <source>cannot commit the batch</source>
        <translation>无法提交该批次</translation>
    </message>
    <message>
        <source>cannot read the last slot of %1</source>
        <translation>无法读取 %1 的最后一个时间槽</translation>
    </message>
    <message>
        <source>cannot look up slot %1 in %2</source>
        <translation>无法在 %2 中查找时间槽 %1</translation>
    </message>
    <message>
        <source>cannot read back %1 at slots %2 to %3</source>
        <translation>无法读回 %1 中时间槽 %2 到 %3 的数据</translation>
    </message>
    <message>
        <source>slot %1</source>
        <translation>时间槽 %1</translation>
    </message>
</context>
</TS>
