// Flow definitions before any run: graph validation with the tasks named, the registry,
// parameter parsing and checking, and retry delays with backoff and cap.

#include <QTemporaryDir>
#include <QtTest>

#include "engine/flowregistry.h"
#include "engine/parameters.h"
#include "engine/retrypolicy.h"
#include "engine/taskcontext.h"
#include "flows/btcbackfillflow.h"
#include "flows/builtinflows.h"
#include "flows/demoflow.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

using namespace Sluice;

namespace {

// A flow from "task:upstream1,upstream2" entries; the tasks do nothing.
Flow flowFrom(const QStringList &tasks)
{
    Flow flow(QStringLiteral("f"), QStringLiteral("test flow"));
    for (const QString &entry : tasks) {
        const QString name = entry.section(QLatin1Char(':'), 0, 0);
        const QString upstream = entry.section(QLatin1Char(':'), 1);
        flow.addTask({ name, upstream.split(QLatin1Char(','), Qt::SkipEmptyParts),
            [](TaskContext &) -> Result<QVariant> { return QVariant(); }, {}, {} });
    }
    return flow;
}

QList<ParameterSpec> demoSpecs()
{
    return { { QStringLiteral("fail"), ParameterType::Bool, false, {} },
        { QStringLiteral("sleep-ms"), ParameterType::Int, 300, {} },
        { QStringLiteral("ratio"), ParameterType::Double, 0.5, {} },
        { QStringLiteral("label"), ParameterType::String, QStringLiteral("x"), {} } };
}

} // namespace

class TestEngineFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validation_data();
    void validation();
    void graphIndex();
    void chainOfTenThousandIsValid();
    void registryRefusesDuplicatesAndInvalid();
    void builtinFlowsRegister();
    void resolve_data();
    void resolve();
    void builtinBounds_data();
    void builtinBounds();
    void parseAssignments_data();
    void parseAssignments();
    void retryDelays_data();
    void retryDelays();
    void stateNamesRoundTrip();
};

void TestEngineFlow::validation_data()
{
    QTest::addColumn<QStringList>("tasks");
    QTest::addColumn<QString>("error"); // empty: valid

    QTest::newRow("diamond") << QStringList{ "a", "b:a", "c:a", "d:b,c" } << QString();
    QTest::newRow("independent") << QStringList{ "a", "b", "c" } << QString();
    QTest::newRow("cycle of three") << QStringList{ "a:c", "b:a", "c:b" }
                                    << "flow \"f\": the tasks form a cycle: a -> b -> c -> a";
    QTest::newRow("cycle behind a root") << QStringList{ "root", "x:root,z", "y:x", "z:y" }
                                         << "the tasks form a cycle: x -> y -> z -> x";
    QTest::newRow("self") << QStringList{ "a", "b:b" } << "the tasks form a cycle: b -> b";
    QTest::newRow("missing") << QStringList{
        "load:transform", "extract"
    } << "flow \"f\": task \"load\" depends on \"transform\", which is not a task of this flow";
    QTest::newRow("duplicate") << QStringList{ "a", "b:a", "a" } << "task \"a\" is defined twice";
    QTest::newRow("upstream twice")
        << QStringList{ "a", "b:a,a" } << "task \"b\" names \"a\" twice as upstream";
    QTest::newRow("no tasks") << QStringList{} << "the flow has no tasks";
    QTest::newRow("empty name") << QStringList{ "a", ":a" } << "task 2 has no name";
}

void TestEngineFlow::validation()
{
    QFETCH(QStringList, tasks);
    QFETCH(QString, error);
    Flow flow = flowFrom(tasks);
    const Result<void> ok = flow.validate();
    if (error.isEmpty()) {
        QVERIFY2(ok.hasValue(), qPrintable(ok ? QString() : ok.error().message()));
        QVERIFY(flow.isValid());
    } else {
        QVERIFY(!ok.hasValue());
        QVERIFY2(ok.error().message().contains(error), qPrintable(ok.error().message()));
        QVERIFY(!flow.isValid());
    }
}

void TestEngineFlow::graphIndex()
{
    Flow flow = flowFrom({ "a", "b:a", "c:a", "d:b,c" });
    QVERIFY(flow.validate());
    QCOMPARE(flow.upstreamOf(3), (QList<int>{ 1, 2 }));
    QCOMPARE(flow.downstreamOf(0), (QList<int>{ 1, 2 }));
    QCOMPARE(flow.upstreamOf(0), QList<int>());
    QCOMPARE(flow.indexOf(QStringLiteral("c")), 2);
    QCOMPARE(flow.indexOf(QStringLiteral("nope")), -1);
}

void TestEngineFlow::chainOfTenThousandIsValid()
{
    QStringList tasks{ QStringLiteral("t0") };
    for (int i = 1; i < 10000; ++i)
        tasks << QStringLiteral("t%1:t%2").arg(i).arg(i - 1);
    Flow flow = flowFrom(tasks);
    QVERIFY(flow.validate());
    // Closing the chain into a ring is found without exhausting the stack.
    tasks[0] = QStringLiteral("t0:t9999");
    Flow ring = flowFrom(tasks);
    const Result<void> ok = ring.validate();
    QVERIFY(!ok);
    QVERIFY(ok.error().what.startsWith(QLatin1String("the tasks form a cycle: t0 -> t1 -> t2")));
    QVERIFY(ok.error().what.endsWith(QLatin1String("t9999 -> t0")));
}

void TestEngineFlow::registryRefusesDuplicatesAndInvalid()
{
    FlowRegistry registry;
    QVERIFY(registry.add(flowFrom({ "a" })));
    const Result<void> twice = registry.add(flowFrom({ "b" }));
    QVERIFY(!twice);
    QCOMPARE(twice.error().message(),
        QStringLiteral("flow \"f\": a flow of this name is already registered"));
    Flow bad(QStringLiteral("bad"), {});
    bad.addTask({ QStringLiteral("x"), { QStringLiteral("y") },
        [](TaskContext &) -> Result<QVariant> { return QVariant(); }, {}, {} });
    QVERIFY(!registry.add(std::move(bad)));
    QCOMPARE(registry.names(), QStringList{ QStringLiteral("f") });
    QVERIFY(registry.flow(QStringLiteral("f")));
    QVERIFY(!registry.flow(QStringLiteral("bad")));

    Flow badDefault(QStringLiteral("g"), {});
    badDefault.addParameter(
        { QStringLiteral("n"), ParameterType::Int, QStringLiteral("many"), {} });
    badDefault.addTask({ QStringLiteral("x"), {},
        [](TaskContext &) -> Result<QVariant> { return QVariant(); }, {}, {} });
    const Result<void> defaultRefused = registry.add(std::move(badDefault));
    QVERIFY(!defaultRefused);
    QVERIFY2(defaultRefused.error().message().contains(
                 QLatin1String("parameter \"n\" must be a whole number")),
        qPrintable(defaultRefused.error().message()));
}

void TestEngineFlow::builtinFlowsRegister()
{
    FlowRegistry registry;
    QVERIFY(registerBuiltinFlows(registry));
    const auto demo = registry.flow(QStringLiteral("demo"));
    QVERIFY(demo);
    QVERIFY(!demo->description().isEmpty());
    // Two independent extracts and a merge downstream of both.
    const int merge = demo->indexOf(QStringLiteral("merge"));
    QVERIFY(merge >= 0);
    QCOMPARE(demo->upstreamOf(merge).size(), 2);
    for (int upstream : demo->upstreamOf(merge))
        QVERIFY(demo->upstreamOf(upstream).isEmpty());
}

void TestEngineFlow::resolve_data()
{
    QTest::addColumn<QVariantMap>("given");
    QTest::addColumn<QVariantMap>("expected"); // empty: an error
    QTest::addColumn<QString>("error");

    const QVariantMap defaults{ { "fail", false }, { "sleep-ms", 300LL }, { "ratio", 0.5 },
        { "label", "x" } };
    QTest::newRow("defaults") << QVariantMap() << defaults << QString();
    QVariantMap texts = defaults;
    texts["fail"] = true;
    texts["sleep-ms"] = 20LL;
    texts["ratio"] = 2.5;
    texts["label"] = QStringLiteral("a=b");
    QTest::newRow("from text") << QVariantMap{ { "fail", "TRUE" }, { "sleep-ms", " 20 " },
        { "ratio", "2.5" }, { "label", "a=b" } }
                               << texts << QString();
    QVariantMap typed = defaults;
    typed["fail"] = true;
    typed["sleep-ms"] = 7LL;
    QTest::newRow("typed") << QVariantMap{ { "fail", true }, { "sleep-ms", 7 } } << typed
                           << QString();
    QVariantMap yes = defaults;
    yes["fail"] = true;
    QTest::newRow("bool yes") << QVariantMap{ { "fail", "yes" } } << yes << QString();
    QTest::newRow("bool no") << QVariantMap{ { "fail", "off" } } << defaults << QString();

    QTest::newRow("bad int")
        << QVariantMap{ { "sleep-ms", "abc" } } << QVariantMap()
        << "flow \"demo\": parameter \"sleep-ms\" must be a whole number (int), not \"abc\"";
    QTest::newRow("fraction for int")
        << QVariantMap{ { "sleep-ms", "2.5" } } << QVariantMap()
        << "parameter \"sleep-ms\" must be a whole number (int), not \"2.5\"";
    QTest::newRow("bad bool") << QVariantMap{ { "fail", "maybe" } } << QVariantMap()
                              << "parameter \"fail\" must be true or false (bool), not \"maybe\"";
    QTest::newRow("bad double") << QVariantMap{ { "ratio", "half" } } << QVariantMap()
                                << "parameter \"ratio\" must be a number (double), not \"half\"";
    QTest::newRow("unknown")
        << QVariantMap{ { "speed", "1" } } << QVariantMap()
        << "unknown parameter \"speed\"; the parameters are fail (bool, default false), "
           "sleep-ms (int, default 300), ratio (double, default 0.5), label (string, default "
           "\"x\")";
}

void TestEngineFlow::resolve()
{
    QFETCH(QVariantMap, given);
    QFETCH(QVariantMap, expected);
    QFETCH(QString, error);
    const Result<QVariantMap> resolved =
        Parameters::resolve(demoSpecs(), given, QStringLiteral("demo"));
    if (error.isEmpty()) {
        QVERIFY2(
            resolved.hasValue(), qPrintable(resolved ? QString() : resolved.error().message()));
        QCOMPARE(resolved->keys(), expected.keys());
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            QCOMPARE(resolved->value(it.key()), it.value());
            QCOMPARE(resolved->value(it.key()).typeId(), it.value().typeId());
        }
    } else {
        QVERIFY(!resolved);
        QVERIFY2(
            resolved.error().message().contains(error), qPrintable(resolved.error().message()));
    }
}

void TestEngineFlow::builtinBounds_data()
{
    QTest::addColumn<QString>("flow");
    QTest::addColumn<QString>("assignment");
    QTest::addColumn<QString>("error"); // empty: accepted

    const QString backfill = QLatin1String(BtcBackfillFlow::Name);
    const QString demo = QLatin1String(DemoFlow::Name);
    QTest::newRow("days 0") << backfill << "days=0" << QString();
    QTest::newRow("days 1") << backfill << "days=1" << QString();
    QTest::newRow("days 3650") << backfill << "days=3650" << QString();
    QTest::newRow("days 3651") << backfill << "days=3651"
                               << "flow \"btc-backfill\": parameter \"days\" is out of range "
                                  "0..3650: 3651";
    QTest::newRow("days 100000") << backfill << "days=100000"
                                 << "parameter \"days\" is out of range 0..3650: 100000";
    QTest::newRow("days -1") << backfill << "days=-1"
                             << "parameter \"days\" is out of range 0..3650: -1";
    QTest::newRow("days past int64") << backfill << "days=99999999999999999999"
                                     << "parameter \"days\" must be a whole number (int)";
    QTest::newRow("sleep-ms 0") << demo << "sleep-ms=0" << QString();
    QTest::newRow("sleep-ms 600000") << demo << "sleep-ms=600000" << QString();
    QTest::newRow("sleep-ms 600001") << demo << "sleep-ms=600001"
                                     << "parameter \"sleep-ms\" is out of range 0..600000: 600001";
    QTest::newRow("sleep-ms past int")
        << demo << "sleep-ms=4294967296"
        << "parameter \"sleep-ms\" is out of range 0..600000: 4294967296";
}

void TestEngineFlow::builtinBounds()
{
    QFETCH(QString, flow);
    QFETCH(QString, assignment);
    QFETCH(QString, error);
    const QTemporaryDir dataFolder;
    QVERIFY(dataFolder.isValid());
    const DataFolder folder = DataFolder::at(dataFolder.path());
    const Settings settings(folder.settingsPath());
    FlowRegistry registry;
    QVERIFY(registerBuiltinFlows(registry, folder, settings));
    const std::shared_ptr<const Flow> definition = registry.flow(flow);
    QVERIFY(definition);
    // Every int parameter of every built-in flow is bounded.
    for (const QString &name : registry.names()) {
        for (const ParameterSpec &spec : registry.flow(name)->parameters()) {
            if (spec.type == ParameterType::Int)
                QVERIFY2(
                    spec.minimum && spec.maximum, qPrintable(name + QLatin1Char(' ') + spec.name));
        }
    }
    const Result<QVariantMap> given = Parameters::parseAssignments({ assignment });
    QVERIFY(given);
    const Result<QVariantMap> resolved =
        Parameters::resolve(definition->parameters(), *given, flow);
    if (error.isEmpty()) {
        QVERIFY2(resolved, qPrintable(resolved ? QString() : resolved.error().message()));
        const QString name = assignment.section(QLatin1Char('='), 0, 0);
        QCOMPARE(resolved->value(name).toString(), assignment.section(QLatin1Char('='), 1));
    } else {
        QVERIFY(!resolved);
        QVERIFY2(
            resolved.error().message().contains(error), qPrintable(resolved.error().message()));
    }
}

void TestEngineFlow::parseAssignments_data()
{
    QTest::addColumn<QStringList>("assignments");
    QTest::addColumn<QVariantMap>("expected");
    QTest::addColumn<QString>("error");
    QTest::newRow("none") << QStringList() << QVariantMap() << QString();
    QTest::newRow("two") << QStringList{ "fail=true", "sleep-ms=20" }
                         << QVariantMap{ { "fail", "true" }, { "sleep-ms", "20" } } << QString();
    QTest::newRow("value with =") << QStringList{ "label=a=b" } << QVariantMap{ { "label", "a=b" } }
                                  << QString();
    QTest::newRow("empty value") << QStringList{ "label=" } << QVariantMap{ { "label", "" } }
                                 << QString();
    QTest::newRow("no =") << QStringList{ "fail" } << QVariantMap()
                          << "parameter \"fail\" has no value; write it as fail=VALUE";
    QTest::newRow("no name") << QStringList{ "=1" } << QVariantMap() << "\"=1\" names no parameter";
    QTest::newRow("twice") << QStringList{ "fail=true", "fail=false" } << QVariantMap()
                           << "parameter \"fail\" is given more than once";
}

void TestEngineFlow::parseAssignments()
{
    QFETCH(QStringList, assignments);
    QFETCH(QVariantMap, expected);
    QFETCH(QString, error);
    const Result<QVariantMap> parsed = Parameters::parseAssignments(assignments);
    if (error.isEmpty()) {
        QVERIFY(parsed);
        QCOMPARE(*parsed, expected);
    } else {
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().message().contains(error), qPrintable(parsed.error().message()));
    }
}

void TestEngineFlow::retryDelays_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<double>("backoff");
    QTest::addColumn<int>("maxDelayMs");
    QTest::addColumn<QList<int>>("delays"); // before attempts 2, 3, 4, 5, 6

    QTest::newRow("fixed") << 100 << 1.0 << 0 << QList<int>{ 100, 100, 100, 100, 100 };
    QTest::newRow("doubling") << 100 << 2.0 << 0 << QList<int>{ 100, 200, 400, 800, 1600 };
    QTest::newRow("doubling capped") << 100 << 2.0 << 500 << QList<int>{ 100, 200, 400, 500, 500 };
    QTest::newRow("triple capped") << 30 << 3.0 << 300 << QList<int>{ 30, 90, 270, 300, 300 };
    QTest::newRow("no delay") << 0 << 2.0 << 0 << QList<int>{ 0, 0, 0, 0, 0 };
    QTest::newRow("backoff below 1 is 1") << 50 << 0.5 << 0 << QList<int>{ 50, 50, 50, 50, 50 };
}

void TestEngineFlow::retryDelays()
{
    QFETCH(int, delayMs);
    QFETCH(double, backoff);
    QFETCH(int, maxDelayMs);
    QFETCH(QList<int>, delays);
    const RetryPolicy policy{ 5, delayMs, backoff, maxDelayMs };
    QCOMPARE(policy.delayBeforeAttempt(1), 0);
    for (int i = 0; i < delays.size(); ++i)
        QCOMPARE(policy.delayBeforeAttempt(i + 2), delays.at(i));
    QVERIFY(policy.allowsAttemptAfter(5));
    QVERIFY(!policy.allowsAttemptAfter(6));
    // A huge backoff without a cap stays a positive delay.
    const RetryPolicy steep{ 100, 1000, 10.0, 0 };
    QVERIFY(steep.delayBeforeAttempt(60) > 0);
}

void TestEngineFlow::stateNamesRoundTrip()
{
    const QStringList names{ "Scheduled", "Pending", "Running", "Retrying", "Completed", "Failed",
        "Cancelled", "TimedOut", "Skipped", "Crashed" };
    for (int i = 0; i < names.size(); ++i) {
        const RunState state = static_cast<RunState>(i);
        QCOMPARE(stateName(state), names.at(i));
        RunState back = RunState::Pending;
        QVERIFY(stateFromName(names.at(i), &back));
        QCOMPARE(back, state);
    }
    RunState unchanged = RunState::Pending;
    QVERIFY(!stateFromName(QStringLiteral("running"), &unchanged));
    QVERIFY(
        isFinal(RunState::Skipped) && isFinal(RunState::Crashed) && !isFinal(RunState::Retrying));
}

QTEST_GUILESS_MAIN(TestEngineFlow)
#include "tst_engineflow.moc"
