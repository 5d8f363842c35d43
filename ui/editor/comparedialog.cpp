#include "editor/comparedialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>

#include "editor/yamlhighlighter.h"

namespace Sluice {

namespace {

    QPlainTextEdit *readOnlyText(const QString &text, QWidget *parent)
    {
        auto *edit = new QPlainTextEdit(parent);
        edit->setReadOnly(true);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        edit->setPlainText(text);
        new YamlHighlighter(edit->document());
        return edit;
    }

} // namespace

CompareDialog::CompareDialog(
    const QString &fileName, const QString &onDisk, const QString &mine, QWidget *parent)
    : QDialog(parent)
    , m_disk(readOnlyText(onDisk, this))
    , m_mine(readOnlyText(mine, this))
{
    setWindowTitle(tr("Compare %1").arg(fileName));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QGridLayout(this);
    layout->addWidget(new QLabel(tr("On disk"), this), 0, 0);
    layout->addWidget(new QLabel(tr("Yours (not saved)"), this), 0, 1);
    layout->addWidget(m_disk, 1, 0);
    layout->addWidget(m_mine, 1, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons, 2, 0, 1, 2);
    // Both sides scroll together, line for line.
    connect(m_disk->verticalScrollBar(), &QScrollBar::valueChanged, m_mine->verticalScrollBar(),
        &QScrollBar::setValue);
    connect(m_mine->verticalScrollBar(), &QScrollBar::valueChanged, m_disk->verticalScrollBar(),
        &QScrollBar::setValue);
    resize(1000, 600);
}

QString CompareDialog::diskText() const
{
    return m_disk->toPlainText();
}

QString CompareDialog::mineText() const
{
    return m_mine->toPlainText();
}

} // namespace Sluice
