#include "flows/btcpipeline.h"

#include <algorithm>
#include <vector>

#include <QDateTime>

#include "engine/taskcontext.h"
#include "settings/settings.h"
#include "storage/warehousewriter.h"
#include "transform/seriesfill.h"
#include "transform/seriesmerge.h"

namespace Sluice {

namespace {

    using Options = std::shared_ptr<const BtcFlowOptions>;

    // The source options of one attempt: cancelled with the task, warnings to its log.
    SourceOptions withContext(SourceOptions options, TaskContext &context)
    {
        options.isCancelled = [token = context.token()] { return token.isCancelled(); };
        options.warn = [&context](const QString &text) { context.warning(text); };
        return options;
    }

    // A fetch failed: when the server said how long to wait (Retry-After) and the engine will
    // try again, wait here for what the engine's own delay does not cover, then fail. A wait
    // longer than options.maxRetryWaitSeconds is not waited for: the task fails at once. The
    // wait ends early when the task is cancelled or times out.
    Error fetchFailed(TaskContext &context, const BtcFlowOptions &options, Error error,
        const FetchFailure &failure)
    {
        if (!failure.retryAfter || !error.isRetryable()
            || !options.fetchRetry.allowsAttemptAfter(context.attempt()))
            return error;
        const qint64 asked = failure.retryAfter->count();
        if (asked > options.maxRetryWaitSeconds) {
            error.what = QCoreApplication::translate("Sluice::BtcPipeline",
                "%1: the server asks to wait %n s, more than %2 (%3 s)", nullptr, int(asked))
                             .arg(error.what, QString(SettingKey::MaxRetryWaitSeconds),
                                 QString::number(options.maxRetryWaitSeconds));
            error.code = ErrorCode::Permanent;
            return error;
        }
        const qint64 waitMs =
            asked * 1000 - options.fetchRetry.delayBeforeAttempt(context.attempt() + 1);
        context.warning(QCoreApplication::translate("Sluice::BtcPipeline",
            "%1: the server asks to wait %n s before the next request", nullptr, int(asked))
                            .arg(error.where));
        if (waitMs > 0)
            context.sleep(int(waitMs));
        return error;
    }

    Result<QList<Kline>> fetchKlines(TaskContext &context, const BtcFlowOptions &options)
    {
        const BtcPlan plan = BtcPipeline::Planned.from(context);
        if (plan.range.isEmpty())
            return QList<Kline>();
        BinanceClient client(context.network(), withContext(options.binance, context));
        if (Result<void> ok = client.setInterval(options.key.timeframe); !ok)
            return ok.error();
        const qint64 end = plan.range.last + plan.range.step;
        const int pages = int(client.pages(plan.range.first, end).size());
        context.info(QCoreApplication::translate("Sluice::BtcPipeline",
            "fetching %n kline(s) from %1 to %2 in %3 request(s)", nullptr, int(plan.range.count))
                         .arg(BtcPipeline::slotText(plan.range.first),
                             BtcPipeline::slotText(plan.range.last))
                         .arg(pages));
        Result<QList<Kline>> klines = client.fetchKlines(plan.range.first, end);
        if (!klines)
            return fetchFailed(context, options, klines.error(), client.lastFailure());
        context.info(QCoreApplication::translate(
            "Sluice::BtcPipeline", "received %n kline(s)", nullptr, int(klines->size())));
        return klines;
    }

    Result<HashrateHistory> fetchHashRates(TaskContext &context, const BtcFlowOptions &options)
    {
        const BtcPlan plan = BtcPipeline::Planned.from(context);
        if (plan.range.isEmpty())
            return HashrateHistory();
        Result<MiningPeriod> period = MempoolClient::periodReaching(
            plan.range.first, MempoolClient::HashrateMarginSeconds, plan.now);
        if (!period)
            return period.error();
        MempoolClient client(context.network(), withContext(options.mempool, context));
        Result<HashrateHistory> history = client.fetchHashrates(*period);
        if (!history)
            return fetchFailed(context, options, history.error(), client.lastFailure());
        context.info(QCoreApplication::translate("Sluice::BtcPipeline",
            "received %n daily hash rate(s) for the period %1", nullptr,
            int(history->samples.size()))
                         .arg(MempoolClient::periodText(*period)));
        return history;
    }

    Result<QList<DifficultyAdjustment>> fetchDifficulty(
        TaskContext &context, const BtcFlowOptions &options)
    {
        const BtcPlan plan = BtcPipeline::Planned.from(context);
        if (plan.range.isEmpty())
            return QList<DifficultyAdjustment>();
        Result<MiningPeriod> period = MempoolClient::periodReaching(
            plan.range.first, MempoolClient::DifficultyMarginSeconds, plan.now);
        if (!period)
            return period.error();
        MempoolClient client(context.network(), withContext(options.mempool, context));
        Result<QList<DifficultyAdjustment>> adjustments =
            client.fetchDifficultyAdjustments(*period);
        if (!adjustments)
            return fetchFailed(context, options, adjustments.error(), client.lastFailure());
        context.info(QCoreApplication::translate("Sluice::BtcPipeline",
            "received %n difficulty adjustment(s) for the period %1", nullptr,
            int(adjustments->size()))
                         .arg(MempoolClient::periodText(*period)));
        return adjustments;
    }

    Result<SlotRows> transformTask(TaskContext &context, const BtcFlowOptions &options)
    {
        const BtcPlan plan = BtcPipeline::Planned.from(context);
        Result<SlotRows> rows = BtcPipeline::transform(plan,
            BtcPipeline::KlinesFetched.from(context), BtcPipeline::HashRatesFetched.from(context),
            BtcPipeline::DifficultyFetched.from(context), options.key);
        if (!rows)
            return rows.error();
        context.info(QCoreApplication::translate("Sluice::BtcPipeline",
            "aligned %n slot(s): %1 prices, %2 hash rates, %3 difficulties", nullptr,
            int(plan.range.count))
                         .arg(rows->prices.size())
                         .arg(rows->hashRates.size())
                         .arg(rows->difficulties.size()));
        return rows;
    }

    Result<qint64> loadTask(TaskContext &context, const BtcFlowOptions &options)
    {
        const SlotRows rows = BtcPipeline::Transformed.from(context);
        const BtcPlan plan = BtcPipeline::Planned.from(context);
        if (plan.range.isEmpty()) {
            context.info(QCoreApplication::translate(
                "Sluice::BtcPipeline", "nothing to load: the warehouse is up to date"));
            context.setProgress(0, 0);
            return qint64(0);
        }
        Result<WarehouseWriter> writer = WarehouseWriter::open(options.warehousePath);
        if (!writer)
            return writer.error();
        WarehouseWriter::LoadOptions load;
        load.isCancelled = [token = context.token()] { return token.isCancelled(); };
        load.progressed = [&context](const WarehouseWriter::Progress &progress) {
            context.setProgress(progress.slotsDone, progress.slotsTotal);
        };
        Result<WarehouseWriter::Counts> counts = writer->load(rows, load);
        if (!counts)
            return counts.error();
        context.noteStored(WarehouseWriter::tableName(WarehouseTable::Price), counts->prices);
        context.noteStored(WarehouseWriter::tableName(WarehouseTable::HashRate), counts->hashRates);
        context.noteStored(
            WarehouseWriter::tableName(WarehouseTable::Difficulty), counts->difficulties);
        context.noteStored(WarehouseWriter::tableName(WarehouseTable::Clean), counts->clean);
        context.info(QCoreApplication::translate("Sluice::BtcPipeline",
            "stored %n new row(s) in %1: %2 prices, %3 hash rates, %4 difficulties, %5 clean "
            "rows",
            nullptr, int(counts->total()))
                         .arg(options.warehousePath)
                         .arg(counts->prices)
                         .arg(counts->hashRates)
                         .arg(counts->difficulties)
                         .arg(counts->clean));
        return counts->total();
    }

} // namespace

namespace {

    void copySources(BtcFlowOptions &options, const SettingValues &values)
    {
        options.binance.baseUrl = values.binanceUrl;
        options.mempool.baseUrl = values.mempoolUrl;
        options.binance.proxy = options.mempool.proxy = values.proxy;
        options.binance.timeoutSeconds = options.mempool.timeoutSeconds = values.timeoutSeconds;
        options.maxRetryWaitSeconds = values.maxRetryWaitSeconds;
    }

} // namespace

BtcFlowOptions BtcFlowOptions::fromSettings(const QString &warehousePath, const Settings &settings)
{
    BtcFlowOptions options;
    options.warehousePath = warehousePath;
    copySources(options, settings.values());
    return options;
}

BtcFlowOptions BtcFlowOptions::following(const QString &warehousePath, const Settings &settings)
{
    BtcFlowOptions options = fromSettings(warehousePath, settings);
    options.settings = &settings;
    return options;
}

BtcFlowOptions BtcFlowOptions::current() const
{
    BtcFlowOptions options = *this;
    if (settings)
        copySources(options, settings->values());
    return options;
}

void BtcPipeline::addTasks(Flow &flow, const BtcFlowOptions &options, Planner planner)
{
    const Options shared = std::make_shared<const BtcFlowOptions>(options);
    flow.addTask({ Planned.task(), {},
        Planned.function([shared, planner](TaskContext &context) -> Result<BtcPlan> {
            Result<BtcPlan> chosen = planner(context, shared->current());
            if (!chosen)
                return chosen.error();
            if (chosen->range.isEmpty()) {
                context.info(tr("the warehouse is up to date: nothing to fetch"));
            } else {
                context.info(
                    tr("%n slot(s) to fill, from %1 to %2", nullptr, int(chosen->range.count))
                        .arg(slotText(chosen->range.first), slotText(chosen->range.last)));
            }
            return chosen;
        }),
        {}, {} });
    // Each step reads the options as they are when it starts; its output says what it returns.
    const auto task = [&](const auto &output, const QStringList &upstream, auto step,
                          std::optional<RetryPolicy> retry) {
        flow.addTask({ output.task(), upstream,
            output.function(
                [shared, step](TaskContext &context) { return step(context, shared->current()); }),
            retry, {} });
    };
    task(KlinesFetched, { Planned.task() }, &fetchKlines, options.fetchRetry);
    task(HashRatesFetched, { Planned.task() }, &fetchHashRates, options.fetchRetry);
    task(DifficultyFetched, { Planned.task() }, &fetchDifficulty, options.fetchRetry);
    task(Transformed,
        { Planned.task(), KlinesFetched.task(), HashRatesFetched.task(), DifficultyFetched.task() },
        &transformTask, std::nullopt);
    task(Loaded, { Planned.task(), Transformed.task() }, &loadTask, std::nullopt);
}

qint64 BtcPipeline::now(const BtcFlowOptions &options)
{
    return options.now ? options.now() : QDateTime::currentSecsSinceEpoch();
}

Result<std::optional<qint64>> BtcPipeline::lastStoredSlot(const BtcFlowOptions &options)
{
    Result<WarehouseWriter> writer = WarehouseWriter::open(options.warehousePath);
    if (!writer)
        return writer.error();
    return writer->lastSlot(WarehouseTable::Clean, options.key);
}

Result<SlotRows> BtcPipeline::transform(const BtcPlan &plan, const QList<Kline> &klines,
    const HashrateHistory &hashRates, const QList<DifficultyAdjustment> &adjustments,
    const SeriesKey &key)
{
    SlotRows empty;
    empty.key = key;
    if (plan.range.isEmpty())
        return empty;

    std::vector<PriceSample> prices;
    prices.reserve(std::size_t(klines.size()));
    for (const Kline &kline : klines)
        prices.push_back({ kline.openTime, kline.open });

    std::vector<HashRateSample> rates;
    rates.reserve(std::size_t(hashRates.samples.size()) + 1);
    for (const HashrateSample &sample : hashRates.samples)
        rates.push_back({ sample.timestamp, sample.hashrate });
    if (hashRates.currentHashrate > 0)
        SeriesFill::appendCurrent(rates, plan.now, hashRates.currentHashrate, plan.range.step);

    std::vector<DifficultySample> difficulties;
    difficulties.reserve(std::size_t(adjustments.size()));
    for (const DifficultyAdjustment &adjustment : adjustments)
        difficulties.push_back({ adjustment.timestamp, adjustment.difficulty });

    Result<GappedSeries> price = SeriesFill::price(prices, plan.range);
    if (!price)
        return price.error();
    Result<FilledSeries> hashRate = SeriesFill::hashRate(std::move(rates), plan.range);
    if (!hashRate)
        return hashRate.error();
    Result<FilledSeries> difficulty = SeriesFill::difficulty(std::move(difficulties), plan.range);
    if (!difficulty)
        return difficulty.error();
    return SeriesMerge::rows(*price, *hashRate, *difficulty, key);
}

QString BtcPipeline::slotText(qint64 slot)
{
    return QDateTime::fromSecsSinceEpoch(slot, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

} // namespace Sluice
