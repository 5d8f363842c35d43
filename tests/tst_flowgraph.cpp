// The flow graph: FlowGraph from flows and flow files, GraphLayout (needs to the left, no
// overlaps, deterministic, no crossings for simple flows, cycles broken) and FlowGraphView
// (state colours, clicks, keys, zoom).

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include "engine/flow.h"
#include "flowfile/flowfilereader.h"
#include "flowfile/flowloader.h"
#include "graph/flowgraph.h"
#include "graph/flowgraphnodeitem.h"
#include "graph/flowgraphview.h"
#include "graph/graphlayout.h"
#include "graphfixture.h"
#include "models/statestyle.h"
#include "steps/flowbuilder.h"
#include "steps/stepcontext.h"

Q_DECLARE_METATYPE(Sluice::FlowGraph)

using namespace Sluice;
using namespace GraphTest;

namespace {

FlowGraph diamond()
{
    FlowGraph graph;
    graph.nodes << FlowGraphNode{ QStringLiteral("a"), QStringLiteral("http"),
        {} } << FlowGraphNode{ QStringLiteral("b"), QStringLiteral("sql"), { QStringLiteral("a") } }
                << FlowGraphNode{ QStringLiteral("c"), QStringLiteral("sql"),
                       { QStringLiteral("a") } }
                << FlowGraphNode{ QStringLiteral("d"), QStringLiteral("email"),
                       { QStringLiteral("b"), QStringLiteral("c") } };
    return graph;
}

QString templatesFolder()
{
    return QStringLiteral(SLUICE_FIXTURES "/../../resources/flows");
}

QStringList templateFiles()
{
    QStringList files;
    const QDir dir(templatesFolder());
    for (const QString &name : dir.entryList({ QStringLiteral("*.yaml") }, QDir::Files, QDir::Name))
        files << dir.filePath(name);
    return files;
}

FlowDefinition loadDefinition(const QByteArray &yaml)
{
    const FlowLoader::Loaded loaded =
        FlowLoader::load(yaml, QStringLiteral("/tmp/preview.yaml"), QStringLiteral("preview.yaml"));
    return loaded.definition.value_or(FlowDefinition());
}

// A data row with the graph of each flow template (the starters of `sluice flows new`).
void addTemplateRows()
{
    for (const QString &path : templateFiles()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QTest::newRow(qPrintable(QFileInfo(path).fileName()))
            << FlowGraph::fromDefinition(loadDefinition(file.readAll()));
    }
}

// Shows graph in view at size; false when the window never showed.
bool show(FlowGraphView &view, const FlowGraph &graph, const QSize &size)
{
    view.resize(size);
    view.setGraph(graph);
    view.show();
    return QTest::qWaitForWindowExposed(&view);
}

TaskFunction nothing()
{
    return [](TaskContext &) -> Result<QVariant> { return QVariant(); };
}

} // namespace

class TestFlowGraph : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromBuiltInFlow();
    void fromFileFlowKeepsKinds();
    void fromDefinitionDropsUnknownNeeds();
    void layoutPlacesNeedsLeft_data();
    void layoutPlacesNeedsLeft();
    void layoutIsDeterministic();
    void layoutHasNoCrossingsForSimpleFlows_data();
    void layoutHasNoCrossingsForSimpleFlows();
    void layoutBreaksCycles();
    void layoutOfLargeGraphStaysBounded();
    void viewColoursNodeByState();
    void viewClickEmitsTaskClicked();
    void viewArrowKeysMoveBetweenSteps();
    void viewZoomsAndFits();
    void viewShowsPlaceholderWhenEmpty();
    void viewKeepsZoomAndStatesForTheSameGraph();
};

void TestFlowGraph::fromBuiltInFlow()
{
    Flow flow(QStringLiteral("built"), QString());
    flow.addTask({ QStringLiteral("fetch"), {}, nothing(), {}, {} });
    flow.addTask({ QStringLiteral("store"), { QStringLiteral("fetch") }, nothing(), {}, {} });
    flow.addTask({ QStringLiteral("report"), { QStringLiteral("fetch"), QStringLiteral("store") },
        nothing(), {}, {} });
    QVERIFY(flow.validate().hasValue());

    const FlowGraph graph = FlowGraph::fromFlow(flow);
    QCOMPARE(graph.size(), 3);
    QCOMPARE(graph.nodes.at(2).id, QStringLiteral("report"));
    QCOMPARE(graph.nodes.at(2).needs, QStringList({ "fetch", "store" }));
    for (const FlowGraphNode &node : graph.nodes)
        QCOMPARE(node.kind, QString()); // built-in C++ tasks
    QCOMPARE(graph.needIndexes(), QList<QList<int>>({ {}, { 0 }, { 0, 1 } }));
}

void TestFlowGraph::fromFileFlowKeepsKinds()
{
    QFile file(templatesFolder() + QStringLiteral("/export-email.yaml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const CheckedFlowFile checked = FlowFileReader::check(file.readAll(), file.fileName(), {});
    QVERIFY(checked.isValid());
    static const FlowEnvironment environment;
    const Result<Flow> flow = FlowBuilder::build(checked, environment);
    QVERIFY(flow.hasValue());

    const FlowGraph graph = FlowGraph::fromFlow(*flow);
    QCOMPARE(graph.size(), 2);
    QCOMPARE(graph.nodes.at(0).id, QStringLiteral("export"));
    QCOMPARE(graph.nodes.at(0).kind, QStringLiteral("export"));
    QCOMPARE(graph.nodes.at(1).kind, QStringLiteral("email"));
    QCOMPARE(graph.nodes.at(1).needs, QStringList({ "export" })); // file order
}

void TestFlowGraph::fromDefinitionDropsUnknownNeeds()
{
    // What the editor previews while the file has errors: an unknown need and a cycle.
    const FlowDefinition definition = loadDefinition("steps:\n"
                                                     "  - id: a\n"
                                                     "    run: echo a\n"
                                                     "    needs: [c]\n"
                                                     "  - id: b\n"
                                                     "    sql: select 1\n"
                                                     "    needs: [a, nowhere]\n"
                                                     "  - id: c\n"
                                                     "    http: { url: 'https://x', into: t }\n"
                                                     "    needs: [b]\n");
    const FlowGraph graph = FlowGraph::fromDefinition(definition);
    QCOMPARE(graph.size(), 3);
    QCOMPARE(graph.nodes.at(0).kind, QStringLiteral("run"));
    QCOMPARE(graph.nodes.at(1).kind, QStringLiteral("sql"));
    QCOMPARE(graph.nodes.at(1).needs, QStringList({ "a" }));
    QCOMPARE(graph.nodes.at(2).needs, QStringList({ "b" }));

    const GraphLayoutResult layout = layOut(graph);
    QCOMPARE(layout.nodes.size(), 3);
    QCOMPARE(layout.edges.size(), 3);
}

void TestFlowGraph::layoutPlacesNeedsLeft_data()
{
    QTest::addColumn<FlowGraph>("graph");
    QTest::newRow("diamond") << diamond();
    QTest::newRow("random 50 (seed 1)") << randomDag(50, 1);
    QTest::newRow("random 50 (seed 2)") << randomDag(50, 2);
    QTest::newRow("random 50 (seed 3)") << randomDag(50, 3);
    QTest::newRow("fan-out/fan-in 30") << fanOutFanIn(30);
    addTemplateRows();
}

void TestFlowGraph::layoutPlacesNeedsLeft()
{
    QFETCH(FlowGraph, graph);
    QVERIFY(!graph.isEmpty());
    const GraphLayoutResult layout = layOut(graph);
    QCOMPARE(layoutProblem(graph, layout), QString());
    for (const QRectF &rect : layout.nodes)
        QVERIFY(layout.bounds.contains(rect));
    for (const GraphLayoutEdge &edge : layout.edges) {
        QVERIFY(edge.points.size() >= 2);
        QCOMPARE(edge.points.first().x(), layout.nodes.at(edge.from).right());
        QCOMPARE(edge.points.last().x(), layout.nodes.at(edge.to).left());
    }
}

void TestFlowGraph::layoutIsDeterministic()
{
    const FlowGraph graph = randomDag(50, 7);
    const GraphLayoutResult first = layOut(graph);
    for (int i = 0; i < 3; ++i) {
        const GraphLayoutResult again = layOut(graph);
        QCOMPARE(again.nodes, first.nodes);
        QCOMPARE(again.crossings, first.crossings);
        QCOMPARE(again.edges.size(), first.edges.size());
        for (int e = 0; e < first.edges.size(); ++e)
            QCOMPARE(again.edges.at(e).points, first.edges.at(e).points);
    }
}

void TestFlowGraph::layoutHasNoCrossingsForSimpleFlows_data()
{
    QTest::addColumn<FlowGraph>("graph");
    QTest::newRow("diamond") << diamond();
    QTest::newRow("fan-out/fan-in 12") << fanOutFanIn(12);
    // Written so that the file order alone would cross: b2 before a2.
    FlowGraph crossed;
    crossed.nodes << FlowGraphNode{ QStringLiteral("a1"), {}, {} }
                  << FlowGraphNode{ QStringLiteral("b1"), {}, {} }
                  << FlowGraphNode{ QStringLiteral("b2"), {}, { QStringLiteral("b1") } }
                  << FlowGraphNode{ QStringLiteral("a2"), {}, { QStringLiteral("a1") } }
                  << FlowGraphNode{ QStringLiteral("a3"), {}, { QStringLiteral("a2") } }
                  << FlowGraphNode{ QStringLiteral("b3"), {}, { QStringLiteral("b2") } };
    QTest::newRow("two chains") << crossed;
    addTemplateRows();
}

void TestFlowGraph::layoutHasNoCrossingsForSimpleFlows()
{
    QFETCH(FlowGraph, graph);
    const GraphLayoutResult layout = layOut(graph);
    QCOMPARE(layout.crossings, 0);
    QCOMPARE(layoutProblem(graph, layout), QString());
}

void TestFlowGraph::layoutBreaksCycles()
{
    FlowGraph graph;
    graph.nodes << FlowGraphNode{ QStringLiteral("a"), {}, { QStringLiteral("c") } }
                << FlowGraphNode{ QStringLiteral("b"), {}, { QStringLiteral("a") } }
                << FlowGraphNode{ QStringLiteral("c"), {}, { QStringLiteral("b") } }
                << FlowGraphNode{ QStringLiteral("self"), {}, { QStringLiteral("self") } };
    const GraphLayoutResult layout = layOut(graph);
    QCOMPARE(layout.nodes.size(), 4);
    QCOMPARE(layout.edges.size(), 3); // the self-reference is dropped
    for (int i = 0; i < 4; ++i) {
        for (int j = i + 1; j < 4; ++j)
            QVERIFY(!layout.nodes.at(i).intersects(layout.nodes.at(j)));
    }
    // Each edge still ends at the node that needs the other.
    for (const GraphLayoutEdge &edge : layout.edges) {
        const QRectF to = layout.nodes.at(edge.to);
        QVERIFY2(qAbs(edge.points.last().x() - to.left()) < 0.01
                || qAbs(edge.points.last().x() - to.right()) < 0.01,
            qPrintable(graph.nodes.at(edge.to).id));
    }
}

void TestFlowGraph::layoutOfLargeGraphStaysBounded()
{
    // 500 steps lay out (no hang, no overlaps); how fast is the benchmark's question.
    const FlowGraph graph = randomDag(500, 11);
    const GraphLayoutResult layout = layOut(graph);
    QCOMPARE(layoutProblem(graph, layout), QString());
}

void TestFlowGraph::viewColoursNodeByState()
{
    FlowGraphView view;
    QVERIFY(show(view, diamond(), QSize(600, 300)));
    FlowGraphNodeItem *node = view.nodeItem(QStringLiteral("b"));
    QVERIFY(node);
    const QColor before = node->borderColor();
    QVERIFY(!node->hasState());

    view.setTaskState(QStringLiteral("b"), RunState::Running, 2, 3, 1500);
    QCOMPARE(node->borderColor(), StateStyle::color(RunState::Running));
    QVERIFY(node->borderColor() != before);
    QVERIFY(node->statusText().contains(QStringLiteral("2/3")));
    QVERIFY(node->toolTip().contains(QStringLiteral("Running")));
    QVERIFY(node->toolTip().contains(QStringLiteral("a"))); // needs

    view.setTaskState(QStringLiteral("b"), RunState::Failed, 3, 3, 2500);
    QCOMPARE(node->borderColor(), StateStyle::color(RunState::Failed));
    QVERIFY(node->fillColor() != view.palette().color(QPalette::Base));

    view.clearStates();
    QCOMPARE(node->borderColor(), before);
    QVERIFY(!node->hasState());
}

void TestFlowGraph::viewClickEmitsTaskClicked()
{
    FlowGraphView view;
    QVERIFY(show(view, diamond(), QSize(700, 400)));
    QSignalSpy clicked(&view, &FlowGraphView::taskClicked);

    const QPoint centre = view.mapFromScene(view.nodeRect(QStringLiteral("c")).center());
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toString(), QStringLiteral("c"));
    QCOMPARE(view.selectedTask(), QStringLiteral("c"));
    QVERIFY(view.nodeItem(QStringLiteral("c"))->isCurrent());

    // The background clears it.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(3, 3));
    QCOMPARE(clicked.count(), 2);
    QCOMPARE(clicked.at(1).at(0).toString(), QString());
    QCOMPARE(view.selectedTask(), QString());
    QVERIFY(!view.nodeItem(QStringLiteral("c"))->isCurrent());
}

void TestFlowGraph::viewArrowKeysMoveBetweenSteps()
{
    FlowGraphView view;
    QVERIFY(show(view, diamond(), QSize(700, 400)));
    QSignalSpy clicked(&view, &FlowGraphView::taskClicked);

    QTest::keyClick(&view, Qt::Key_Right); // nothing current: the first step
    QCOMPARE(view.selectedTask(), QStringLiteral("a"));
    QTest::keyClick(&view, Qt::Key_Right);
    const QString middle = view.selectedTask();
    QVERIFY(middle == QStringLiteral("b") || middle == QStringLiteral("c"));
    QTest::keyClick(&view, middle == QStringLiteral("b") ? Qt::Key_Down : Qt::Key_Up);
    QCOMPARE(view.selectedTask(),
        middle == QStringLiteral("b") ? QStringLiteral("c") : QStringLiteral("b"));
    QTest::keyClick(&view, Qt::Key_Right);
    QCOMPARE(view.selectedTask(), QStringLiteral("d"));
    QTest::keyClick(&view, Qt::Key_Escape);
    QCOMPARE(view.selectedTask(), QString());
    QCOMPARE(clicked.count(), 5);
    QCOMPARE(clicked.last().at(0).toString(), QString());
}

void TestFlowGraph::viewZoomsAndFits()
{
    FlowGraphView view;
    QVERIFY(show(view, randomDag(50, 5), QSize(800, 400)));
    const auto wholeGraphShown = [&] {
        return view.mapToScene(view.viewport()->rect())
            .boundingRect()
            .adjusted(-1, -1, 1, 1)
            .contains(view.scene()->sceneRect());
    };
    // Too large to fit readably: shown at the readable zoom from its first step.
    const qreal readable = view.zoom();
    QVERIFY(readable < 1.0);
    QVERIFY(!wholeGraphShown());
    QVERIFY(view.mapToScene(view.viewport()->rect())
                .boundingRect()
                .contains(view.nodeRect(QStringLiteral("s1"))));

    // Ctrl+0 fits the whole graph.
    QTest::keyClick(&view, Qt::Key_0, Qt::ControlModifier);
    const qreal fitted = view.zoom();
    QVERIFY(fitted < readable);
    QVERIFY(wholeGraphShown());
    // It stays fitted when scroll bars go and the view is resized.
    QCoreApplication::processEvents();
    QVERIFY(wholeGraphShown());
    view.resize(820, 420);
    QCoreApplication::processEvents();
    QVERIFY(wholeGraphShown());
    view.resize(800, 400);
    QCoreApplication::processEvents();
    QCOMPARE(view.zoom(), fitted);
    QTest::keyClick(&view, Qt::Key_Plus);
    QVERIFY(view.zoom() > fitted);
    QTest::keyClick(&view, Qt::Key_Minus);
    QTest::keyClick(&view, Qt::Key_Minus);
    QVERIFY(view.zoom() < fitted);
    view.fitToView();
    QVERIFY(qAbs(view.zoom() - fitted) < 1e-6);

    // A graph that fits is fitted; a small one is not blown up.
    view.setGraph(randomDag(8, 5));
    QVERIFY(wholeGraphShown());
    view.setGraph(diamond());
    QCOMPARE(view.zoom(), 1.0);
    QVERIFY(wholeGraphShown());
}

void TestFlowGraph::viewShowsPlaceholderWhenEmpty()
{
    FlowGraphView view;
    view.resize(300, 200);
    view.setPlaceholderText(QStringLiteral("Nothing here"));
    view.setGraph(FlowGraph());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.scene()->items().isEmpty());
    const QImage image = view.grab().toImage();
    // Some pixel differs from the background: the placeholder text.
    const QRgb background = image.pixel(2, 2);
    bool drawn = false;
    for (int y = 0; y < image.height() && !drawn; ++y) {
        for (int x = 0; x < image.width() && !drawn; ++x)
            drawn = image.pixel(x, y) != background;
    }
    QVERIFY(drawn);
}

void TestFlowGraph::viewKeepsZoomAndStatesForTheSameGraph()
{
    FlowGraphView view;
    QVERIFY(show(view, diamond(), QSize(600, 300)));
    view.setTaskState(QStringLiteral("a"), RunState::Completed, 1, 1, 10);
    view.zoomIn();
    const qreal zoomed = view.zoom();

    view.setGraph(diamond()); // an edit that changed no step
    QCOMPARE(view.zoom(), zoomed);
    QCOMPARE(view.nodeItem(QStringLiteral("a"))->state(), RunState::Completed);

    FlowGraph changed = diamond();
    changed.nodes[3].needs = QStringList{ QStringLiteral("b") };
    view.setGraph(changed);
    const qreal refitted = view.zoom();
    QVERIFY(refitted < zoomed);
    view.fitToView();
    QCOMPARE(view.zoom(), refitted); // fitted again
    QVERIFY(!view.nodeItem(QStringLiteral("a"))->hasState());
    QCOMPARE(view.layoutResult().edges.size(), 3);
}

QTEST_MAIN(TestFlowGraph)
#include "tst_flowgraph.moc"
