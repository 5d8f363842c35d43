// flowcheck_bench: check-as-you-type in the flow editor for a generated 200-line, 50-step flow
// file. Prints (a) FlowFileReader::check per call and (b) keystroke to problems listed in the
// FlowEditor pane (a key typed, until the list shows the new result; the pause timer set to
// 0 ms so it is excluded), each as median and p95 in ms. Target: (b) < 100 ms (issue 16).
// Usage: flowcheck_bench [rounds] (default 200). Runs offscreen unless QT_QPA_PLATFORM is set.

#include <algorithm>
#include <cstdio>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTreeWidget>
#include <QtTest>

#include "editor/codeeditor.h"
#include "editor/floweditor.h"
#include "flowfile/flowfilereader.h"

using namespace Sluice;

namespace {

// About 200 lines: a header with params and defaults, then 50 steps of four lines each, every
// step needing the one before, of the kinds run, sql and export.
QByteArray flowText()
{
    QByteArray text = "# a generated flow of 50 steps\n"
                      "description: Generated for the check-as-you-type benchmark\n"
                      "params:\n"
                      "  day: { type: date, default: \"${run.date}\" }\n"
                      "  region: { type: string, choices: [eu, us], default: eu }\n"
                      "defaults: { retries: 1, retry-delay: 5s, timeout: 5m }\n"
                      "steps:\n";
    for (int i = 0; i < 50; ++i) {
        const QByteArray id = "step-" + QByteArray::number(i);
        text += "  - id: " + id + "\n";
        text += i == 0 ? QByteArray("    needs: []\n")
                       : "    needs: [step-" + QByteArray::number(i - 1) + "]\n";
        switch (i % 3) {
        case 0:
            text += "    run: echo \"${params.day} ${params.region}\" > out-" + id + ".txt\n";
            break;
        case 1:
            text += "    sql: \"insert into t(day) values (:day)\"\n";
            break;
        case 2:
            text += "    export: { query: \"select 1\", to: \"out/" + id + ".csv\" }\n";
            break;
        }
        text += "    timeout: 2m\n";
    }
    return text;
}

double percentile(std::vector<double> values, double fraction)
{
    std::sort(values.begin(), values.end());
    const size_t index =
        std::min(values.size() - 1, size_t(fraction * double(values.size() - 1) + 0.5));
    return values[index];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int rounds = argc > 1 ? qMax(1, QByteArray(argv[1]).toInt()) : 200;

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.yaml"));
    const QByteArray text = flowText();
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            return 1;
    }
    const int lines = int(text.count('\n'));
    const QStringList builtins = { QStringLiteral("demo") };

    // (a) the check alone.
    std::vector<double> check;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer timer;
        timer.start();
        const CheckedFlowFile checked = FlowFileReader::check(text, path, builtins);
        check.push_back(double(timer.nsecsElapsed()) / 1e6);
        if (!checked.isValid()) {
            std::fprintf(stderr, "the generated flow does not pass the check: %s\n",
                qPrintable(checked.firstError()->toString()));
            return 1;
        }
    }

    // (b) a key typed in the pane until the problems list shows the result: each round types
    // a character into a `needs` entry (an unknown step: one problem) or takes it away again
    // (no problem).
    FlowEditor editor;
    editor.setBuiltinNames(builtins);
    editor.setCheckDelay(0);
    editor.resize(1000, 800);
    editor.show();
    if (!editor.openFile(path)) {
        std::fprintf(stderr, "cannot open %s\n", qPrintable(path));
        return 1;
    }
    CodeEditor *code = editor.editor();
    const QTextBlock needs = code->document()->findBlockByNumber(7 + 4 * 25 + 1); // step 25
    QTextCursor cursor(needs);
    cursor.setPosition(needs.position() + needs.text().indexOf(u']'));
    code->setTextCursor(cursor);
    code->setFocus();
    std::vector<double> keystroke;
    for (int i = 0; i < rounds; ++i) {
        const bool adding = i % 2 == 0;
        QEventLoop loop;
        QObject::connect(&editor, &FlowEditor::checked, &loop, &QEventLoop::quit);
        QElapsedTimer timer;
        timer.start();
        if (adding)
            QTest::keyClick(code, Qt::Key_X);
        else
            QTest::keyClick(code, Qt::Key_Backspace);
        loop.exec();
        keystroke.push_back(double(timer.nsecsElapsed()) / 1e6);
        const int listed = editor.problemsList()->topLevelItemCount();
        if (listed != (adding ? 1 : 0)) {
            std::fprintf(stderr, "round %d: %d problems listed\n", i, listed);
            return 1;
        }
    }

    std::printf("flow file: %d lines, 50 steps, %d rounds\n", lines, rounds);
    std::printf("(a) FlowFileReader::check:           median %.2f ms, p95 %.2f ms\n",
        percentile(check, 0.5), percentile(check, 0.95));
    std::printf("(b) keystroke to problems listed:    median %.2f ms, p95 %.2f ms "
                "(target < 100 ms)\n",
        percentile(keystroke, 0.5), percentile(keystroke, 0.95));
    return 0;
}
