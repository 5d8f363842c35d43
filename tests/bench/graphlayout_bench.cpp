// graphlayout_bench: lays out flow graphs of 50 and 500 steps (seeded random DAGs and a wide
// fan-out/fan-in) and prints the ms per layout and the crossings left. Usage:
// graphlayout_bench [repeats] (default 20). Target: 50 steps in well under 16 ms (a frame).
// graphlayout_bench --grab DIR [TEMPLATES_DIR]: saves PNGs of the graph view instead (the
// flow templates, a 50-step DAG with mixed states, light and dark) to look at.

#include <cstdio>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStyleFactory>

#include "flowfile/flowloader.h"
#include "graph/flowgraphview.h"
#include "graphfixture.h"

using namespace Sluice;
using namespace GraphTest;

namespace {

void measure(const char *name, const FlowGraph &graph, int repeats)
{
    const QList<QList<int>> needs = graph.needIndexes();
    const QList<QSizeF> sizes = sizesOf(graph);
    int edges = 0;
    for (const QList<int> &need : needs)
        edges += int(need.size());
    GraphLayoutResult result = GraphLayout::layout(needs, sizes); // warm up
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < repeats; ++i)
        result = GraphLayout::layout(needs, sizes);
    const double ms = double(timer.nsecsElapsed()) / 1e6 / repeats;
    int layers = 0;
    for (const int layer : result.layers)
        layers = std::max(layers, layer + 1);
    const QString problem = layoutProblem(graph, result);
    std::printf("%-28s %4d steps %5d edges %3d layers  %8.3f ms/layout  %6d crossings  %s\n", name,
        graph.size(), edges, layers, ms, result.crossings,
        problem.isEmpty() ? "ok" : qPrintable(problem));
}

QPalette darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe8));
    return dark;
}

void grab(const FlowGraph &graph, const QString &path, const QSize &size, bool states,
    const QPalette &palette, bool fitAll = false)
{
    FlowGraphView view;
    view.setPalette(palette);
    view.resize(size);
    view.setGraph(graph);
    if (states) {
        const RunState cycle[] = { RunState::Completed, RunState::Completed, RunState::Running,
            RunState::Retrying, RunState::Failed, RunState::Pending, RunState::Skipped,
            RunState::Completed, RunState::TimedOut, RunState::Cancelled };
        for (int i = 0; i < graph.size(); ++i) {
            const RunState state = i < graph.size() / 3 ? RunState::Completed : cycle[i % 10];
            const int attempt = state == RunState::Retrying ? 2
                : state == RunState::Pending                ? 0
                                                            : 1;
            view.setTaskState(graph.nodes.at(i).id, state, attempt, 3,
                state == RunState::Pending ? -1 : 800 + 997 * i);
        }
        view.selectTask(graph.nodes.at(graph.size() / 2).id);
    }
    view.show();
    QApplication::processEvents();
    if (fitAll)
        view.fitToView();
    QApplication::processEvents(); // scroll bars follow the new zoom
    if (!view.grab().save(path))
        std::fprintf(stderr, "could not write %s\n", qPrintable(path));
    else
        std::printf("%s\n", qPrintable(path));
}

int grabAll(const QString &folder, const QString &templates)
{
    QDir().mkpath(folder);
    const QDir dir(templates);
    for (const QString &name :
        dir.entryList({ QStringLiteral("*.yaml") }, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return 1;
        const FlowLoader::Loaded loaded = FlowLoader::load(file.readAll(), file.fileName(), name);
        if (!loaded.definition)
            return 1;
        const FlowGraph graph = FlowGraph::fromDefinition(*loaded.definition);
        grab(graph,
            QStringLiteral("%1/graph-%2.png").arg(folder, QFileInfo(name).completeBaseName()),
            QSize(640, 240), false, QApplication::palette());
    }
    FlowGraph mixed = randomDag(50, 3);
    const QStringList kinds{ QStringLiteral("run"), QStringLiteral("sql"), QStringLiteral("http"),
        QStringLiteral("import"), QStringLiteral("export"), QStringLiteral("email"), QString() };
    for (int i = 0; i < mixed.size(); ++i)
        mixed.nodes[i].kind = kinds.at(i % kinds.size());
    grab(mixed, folder + QStringLiteral("/graph-50-light.png"), QSize(1280, 720), true,
        QApplication::palette());
    grab(mixed, folder + QStringLiteral("/graph-50-dark.png"), QSize(1280, 720), true,
        darkPalette());
    grab(mixed, folder + QStringLiteral("/graph-50-fitted.png"), QSize(1280, 720), true,
        QApplication::palette(), true);
    FlowGraph states = fanOutFanIn(7);
    for (int i = 0; i < states.size(); ++i)
        states.nodes[i].kind = kinds.at(i % kinds.size());
    grab(states, folder + QStringLiteral("/graph-states-light.png"), QSize(900, 420), true,
        QApplication::palette());
    grab(states, folder + QStringLiteral("/graph-states-dark.png"), QSize(900, 420), true,
        darkPalette());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 2 && QByteArray(argv[1]) == "--grab") {
        QApplication app(argc, argv);
        app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        return grabAll(QString::fromLocal8Bit(argv[2]),
            argc > 3 ? QString::fromLocal8Bit(argv[3])
                     : QStringLiteral(SLUICE_SOURCE_DIR "/resources/flows"));
    }
    QCoreApplication app(argc, argv);
    const int repeats = argc > 1 ? std::max(1, QByteArray(argv[1]).toInt()) : 20;
    measure("random 50 (seed 1)", randomDag(50, 1), repeats);
    measure("random 50 (seed 2)", randomDag(50, 2), repeats);
    measure("random 50 (seed 3)", randomDag(50, 3), repeats);
    measure("fan-out/fan-in 50", fanOutFanIn(50), repeats);
    measure("random 500 (seed 1)", randomDag(500, 1), std::max(1, repeats / 5));
    measure("random 500 (seed 2)", randomDag(500, 2), std::max(1, repeats / 5));
    measure("fan-out/fan-in 500", fanOutFanIn(500), std::max(1, repeats / 5));
    return 0;
}
