#include "dialogs/definitiondialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "engine/displaytext.h"

namespace Sluice {

DefinitionDialog::DefinitionDialog(const FlowRunRecord &run, QWidget *parent)
    : QDialog(parent)
    , m_text(new QPlainTextEdit)
{
    setObjectName(QStringLiteral("definitionDialog"));
    setWindowTitle(tr("Definition of run %1").arg(run.id));
    resize(700, 560);
    auto *source =
        new QLabel(tr("%1\nSHA-256 %2").arg(escapeControls(run.sourcePath), run.definitionSha256));
    source->setTextFormat(Qt::PlainText);
    source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    source->setWordWrap(true);
    m_text->setObjectName(QStringLiteral("definitionText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlainText(QString::fromUtf8(run.definition));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(source);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
}

} // namespace Sluice
