#include "views/sqlview.h"

#include <algorithm>
#include <climits>

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTextBlock>
#include <QVBoxLayout>

#include "data/queryreader.h"
#include "dialogs/exportdialog.h"
#include "editor/codeeditor.h"
#include "editor/sqlhighlighter.h"
#include "engine/displaytext.h"
#include "models/queryresultmodel.h"
#include "widgets/columnwidths.h"
#include "widgets/rowtable.h"
#include "widgets/windowscroller.h"
#include "windowsettings.h"

namespace Sluice {

namespace {

    constexpr auto HistoryKey = "sql/history";

    // The first line of a statement, for the history list.
    QString title(const QString &statement)
    {
        const QString simplified = statement.simplified();
        return simplified.size() > 90 ? simplified.left(89) + QChar(u'…') : simplified;
    }

} // namespace

SqlView::SqlView(QWidget *parent)
    : QWidget(parent)
    , m_model(new QueryResultModel(this))
    , m_editor(new CodeEditor)
    , m_historyBox(new QComboBox)
    , m_run(new QPushButton(tr("Run")))
    , m_cancel(new QPushButton(tr("Cancel")))
    , m_export(new QPushButton(tr("Export results…")))
    , m_error(new QLabel)
    , m_view(new WindowedTableView)
    , m_status(new QLabel)
{
    m_editor->setObjectName(QStringLiteral("sqlEditor"));
    m_historyBox->setObjectName(QStringLiteral("sqlHistory"));
    m_run->setObjectName(QStringLiteral("runSql"));
    m_cancel->setObjectName(QStringLiteral("cancelSql"));
    m_export->setObjectName(QStringLiteral("exportResults"));
    m_error->setObjectName(QStringLiteral("sqlError"));
    m_view->setObjectName(QStringLiteral("sqlResult"));
    m_status->setObjectName(QStringLiteral("sqlStatus"));

    new SqlHighlighter(m_editor->document());
    m_editor->setPlaceholderText(
        tr("A query over the warehouse, read-only. Ctrl+Enter runs the statement under the "
           "cursor (or the selection), Esc cancels it, Ctrl+Up and Ctrl+Down recall earlier "
           "ones.\n\nSELECT * FROM btc_usd_price_with_net_stat ORDER BY start_timestamp DESC;"));
    m_editor->installEventFilter(this);
    m_run->setToolTip(tr("Run the statement under the cursor, or the selection (Ctrl+Enter)"));
    m_cancel->setToolTip(tr("Stop the running statement (Esc)"));
    m_cancel->setEnabled(false);
    m_export->setEnabled(false);
    m_historyBox->setPlaceholderText(tr("History"));
    m_historyBox->setToolTip(
        tr("The last %1 statements run (Ctrl+Up, Ctrl+Down)").arg(HistorySize));
    m_historyBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_historyBox->setMinimumContentsLength(30);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->hide();

    // A window of the rows: a 10M-row result keeps the header small and its growth cheap.
    m_view->setSourceModel(m_model);
    setUpRowTable(m_view);
    m_widths = new ColumnWidths(m_view);
    m_widths->setTable(QStringLiteral("SQL"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_historyBox, 1);
    bar->addWidget(m_run);
    bar->addWidget(m_cancel);
    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(bar);
    topLayout->addWidget(m_editor, 1);
    topLayout->addWidget(m_error);

    auto *statusBar = new QHBoxLayout;
    statusBar->addWidget(m_status, 1);
    statusBar->addWidget(m_export);
    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_view, 1);
    bottomLayout->addLayout(statusBar);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({ 220, 420 });
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &SqlView::cancel);
    connect(m_run, &QPushButton::clicked, this, &SqlView::run);
    connect(m_cancel, &QPushButton::clicked, this, &SqlView::cancel);
    connect(m_export, &QPushButton::clicked, this, &SqlView::exportResults);
    connect(m_historyBox, &QComboBox::activated, this, &SqlView::showHistory);
    connect(m_model, &QueryResultModel::pageLoaded, this, [this] {
        if (m_running && m_firstRowsMs < 0) {
            m_firstRowsMs = m_clock.elapsed();
            updateStatus();
        }
    });
    connect(m_model, &QueryResultModel::spooled, this, &SqlView::updateStatus);
    connect(m_model, &QueryResultModel::counted, this, [this] {
        if (!m_running)
            return;
        m_doneMs = m_clock.elapsed();
        finish();
    });
    connect(m_model, &QueryResultModel::queryFailed, this, &SqlView::onFailed);

    loadHistory();
    updateStatus();
}

void SqlView::setWarehousePath(const QString &path)
{
    m_path = path;
    m_model->setWarehousePath(path);
    updateStatus();
}

QPair<int, int> SqlView::statementAt(const QString &text, int position)
{
    // The statements between the semicolons that are not quoted or in comments.
    QList<QPair<int, int>> segments; // [start, end)
    int start = 0;
    const int size = int(text.size());
    for (int i = 0; i < size; ++i) {
        const QChar c = text.at(i);
        if (c == u'\'' || c == u'"' || c == u'`' || c == u'[') {
            const QChar close = c == u'[' ? QChar(u']') : c;
            const int end = int(text.indexOf(close, i + 1));
            i = end < 0 ? size : end; // a doubled quote closes and opens again: the same
        } else if (c == u'-' && text.mid(i, 2) == QLatin1String("--")) {
            const int end = int(text.indexOf(u'\n', i));
            i = end < 0 ? size : end;
        } else if (c == u'/' && text.mid(i, 2) == QLatin1String("/*")) {
            const int end = int(text.indexOf(QLatin1String("*/"), i + 2));
            i = end < 0 ? size : end + 1;
        } else if (c == u';') {
            segments.append({ start, i });
            start = i + 1;
        }
    }
    segments.append({ start, size });

    const auto trimmed = [&](QPair<int, int> segment) {
        int first = segment.first;
        int last = segment.second;
        while (first < last && text.at(first).isSpace())
            ++first;
        while (last > first && text.at(last - 1).isSpace())
            --last;
        return QPair<int, int>(first, last - first);
    };
    int found = 0;
    for (int i = 0; i < segments.size(); ++i) {
        if (position >= segments[i].first && position <= segments[i].second) {
            found = i;
            break;
        }
    }
    // Just after a semicolon, on its line: the statement it ends.
    if (found > 0
        && QStringView(text)
               .mid(segments[found].first, position - segments[found].first)
               .trimmed()
               .isEmpty()
        && !QStringView(text)
                .mid(segments[found].first, position - segments[found].first)
                .contains(u'\n'))
        --found;
    // In the blanks after the last semicolon: the statement before it.
    for (int i = found; i >= 0; --i) {
        const QPair<int, int> statement = trimmed(segments[i]);
        if (statement.second > 0)
            return statement;
    }
    return { 0, 0 };
}

void SqlView::run()
{
    if (m_path.isEmpty())
        return;
    QTextCursor cursor = m_editor->textCursor();
    const QString text = m_editor->toPlainText();
    QPair<int, int> statement;
    if (cursor.hasSelection()) {
        // A selection runs as it is, blanks around it left out.
        int first = cursor.selectionStart();
        int end = cursor.selectionEnd();
        while (first < end && text.at(first).isSpace())
            ++first;
        while (end > first && (text.at(end - 1).isSpace() || text.at(end - 1) == u';'))
            --end;
        statement = { first, end - first };
    } else {
        statement = statementAt(text, cursor.position());
    }
    m_editor->setDiagnostics({});
    m_error->hide();
    if (statement.second == 0) {
        m_error->setText(tr("There is no statement to run: write a query, then press "
                            "Ctrl+Enter."));
        m_error->show();
        return;
    }
    m_runStart = statement.first;
    m_ran = text.mid(statement.first, statement.second);
    remember(m_ran);
    m_outcome.clear();
    m_cancelled = false;
    m_running = true;
    m_firstRowsMs = -1;
    m_doneMs = -1;
    m_clock.start();
    m_model->setSql(m_ran);
    updateStatus();
}

void SqlView::cancel()
{
    if (m_running)
        m_model->cancel(); // says queryFailed(Cancelled) at once; the rows read so far stay
}

void SqlView::onFailed(const QueryFailure &failure)
{
    if (!m_running)
        return;
    m_doneMs = m_clock.elapsed();
    if (failure.kind == QueryFailure::Kind::Cancelled) {
        m_cancelled = true;
        m_outcome = tr("Cancelled");
    } else {
        m_outcome = failure.kind == QueryFailure::Kind::ReadOnly ? tr("Refused") : tr("Failed");
        m_error->setText(escapeControls(failure.message));
        m_error->show();
    }
    if (failure.offset >= 0) {
        // SQLite counts bytes of the statement's UTF-8; the editor wants a line and the
        // UTF-8 column in it.
        const QByteArray utf8 = m_ran.toUtf8();
        const int position = m_runStart + int(QString::fromUtf8(utf8.left(failure.offset)).size());
        const QTextBlock block = m_editor->document()->findBlock(position);
        if (block.isValid()) {
            Diagnostic diagnostic;
            diagnostic.line = block.blockNumber() + 1;
            diagnostic.column =
                int(block.text().left(position - block.position()).toUtf8().size()) + 1;
            diagnostic.message = failure.message;
            m_editor->setDiagnostics({ diagnostic });
        }
    }
    finish();
}

void SqlView::finish()
{
    m_running = false;
    updateStatus();
}

void SqlView::updateStatus()
{
    const QLocale locale;
    // Rows in a view are an int: a count the model shows fits one.
    const int rows = int(std::min<qint64>(m_model->spooledRows(), INT_MAX));
    QString text;
    if (m_running && m_firstRowsMs < 0) {
        text = tr("Running…");
    } else if (m_running) {
        text = tr("%Ln row(s) read… first rows in %1 ms", nullptr, rows)
                   .arg(locale.toString(m_firstRowsMs));
    } else if (m_cancelled) {
        text = tr("Cancelled after %1 ms, %Ln row(s) read", nullptr, rows)
                   .arg(locale.toString(m_doneMs));
    } else if (!m_outcome.isEmpty()) {
        text = tr("%1 after %2 ms").arg(m_outcome, locale.toString(m_doneMs));
    } else if (m_doneMs >= 0) {
        text = tr("%Ln row(s) in %1 ms", nullptr, rows).arg(locale.toString(m_doneMs));
    }
    m_status->setText(text);
    m_run->setEnabled(!m_running && !m_path.isEmpty());
    m_cancel->setEnabled(m_running);
    m_export->setEnabled(!m_running && m_outcome.isEmpty() && m_doneMs >= 0);
}

void SqlView::exportResults()
{
    if (m_path.isEmpty() || m_model->sql().isEmpty())
        return;
    auto *dialog = new ExportDialog(m_path, m_model->csvRequest(), m_model->totalRows(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    Q_EMIT exportDialogOpened(dialog);
}

bool SqlView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const Qt::KeyboardModifiers modifiers = key->modifiers() & ~Qt::KeypadModifier;
        if (key->key() == Qt::Key_Escape && modifiers == Qt::NoModifier && m_running) {
            cancel();
            return true;
        }
        if (modifiers == Qt::ControlModifier
            && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            if (!m_running)
                run();
            return true;
        }
        if (modifiers == Qt::ControlModifier
            && (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down)) {
            const int step = key->key() == Qt::Key_Up ? 1 : -1;
            const int index = std::clamp(m_historyIndex + step, -1, int(m_history.size()) - 1);
            if (index != m_historyIndex) {
                if (m_historyIndex < 0)
                    m_draft = m_editor->toPlainText();
                m_historyIndex = index;
                m_editor->setPlainText(index < 0 ? m_draft : m_history.at(index));
                m_editor->moveCursor(QTextCursor::End);
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SqlView::remember(const QString &statement)
{
    m_history.removeAll(statement);
    m_history.prepend(statement);
    while (m_history.size() > HistorySize)
        m_history.removeLast();
    m_historyIndex = -1;
    windowSettings().setValue(QLatin1String(HistoryKey), m_history);
    fillHistoryBox();
}

void SqlView::showHistory(int index)
{
    if (index < 0 || index >= m_history.size())
        return;
    m_editor->setPlainText(m_history.at(index));
    m_editor->moveCursor(QTextCursor::End);
    m_editor->setFocus();
    m_historyIndex = -1;
    m_historyBox->setCurrentIndex(-1);
}

void SqlView::loadHistory()
{
    m_history = windowSettings().value(QLatin1String(HistoryKey)).toStringList();
    while (m_history.size() > HistorySize)
        m_history.removeLast();
    fillHistoryBox();
}

void SqlView::fillHistoryBox()
{
    const QSignalBlocker blocker(m_historyBox);
    m_historyBox->clear();
    for (const QString &statement : std::as_const(m_history)) {
        m_historyBox->addItem(title(statement));
        m_historyBox->setItemData(m_historyBox->count() - 1, statement, Qt::ToolTipRole);
    }
    m_historyBox->setCurrentIndex(-1);
}

} // namespace Sluice
