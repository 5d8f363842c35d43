#include "dialogs/newflowdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "engine/displaytext.h"
#include "flowfile/flowtemplates.h"
#include "flowfile/yamlreader.h"

namespace Sluice {

NewFlowDialog::NewFlowDialog(const QString &dataFolder, const QStringList &builtinNames,
    const QStringList &takenNames, QWidget *parent)
    : QDialog(parent)
    , m_dataFolder(dataFolder)
    , m_builtinNames(builtinNames)
    , m_takenNames(takenNames)
    , m_name(new QLineEdit)
    , m_template(new QComboBox)
    , m_description(new QLabel)
    , m_message(new QLabel)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setObjectName(QStringLiteral("newFlowDialog"));
    setWindowTitle(tr("New flow"));
    m_name->setObjectName(QStringLiteral("newFlowName"));
    m_name->setPlaceholderText(tr("e.g. daily-sales"));
    m_name->setMaxLength(64);
    m_template->setObjectName(QStringLiteral("newFlowTemplate"));
    for (const FlowTemplates::Template &starter : FlowTemplates::templates())
        m_template->addItem(starter.name, starter.name);
    m_description->setObjectName(QStringLiteral("newFlowDescription"));
    m_description->setWordWrap(true);
    m_description->setForegroundRole(QPalette::PlaceholderText);
    m_message->setObjectName(QStringLiteral("newFlowMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(QString(), m_message);
    form->addRow(tr("&Start from:"), m_template);
    form->addRow(QString(), m_description);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &NewFlowDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &NewFlowDialog::validate);
    connect(m_template, &QComboBox::currentIndexChanged, this, &NewFlowDialog::validate);
    validate();
    resize(460, sizeHint().height());
}

QString NewFlowDialog::message() const
{
    return m_message->text();
}

void NewFlowDialog::validate()
{
    m_description->setText(FlowTemplates::description(m_template->currentData().toString()));
    const QString name = m_name->text().trimmed();
    QString problem;
    if (name.isEmpty())
        problem = tr("The flow's name is its file's name: letters, digits, - and _.");
    else if (!YamlReader::isName(name))
        problem = tr("A name starts with a letter, then letters, digits, - or _ (at most 64).");
    else if (m_builtinNames.contains(name))
        problem = tr("%1 is a built-in flow; choose another name.").arg(name);
    else if (m_takenNames.contains(name))
        problem = tr("There is a flow named %1 already.").arg(name);
    const bool ok = !name.isEmpty() && problem.isEmpty();
    m_message->setText(problem.isEmpty()
            ? tr("Creates %1.yaml in the flows folder and opens it in the editor.").arg(name)
            : problem);
    m_message->setForegroundRole(
        ok || name.isEmpty() ? QPalette::PlaceholderText : QPalette::WindowText);
    m_message->setStyleSheet(ok || name.isEmpty() ? QString() : QStringLiteral("color: #b3261e;"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

void NewFlowDialog::accept()
{
    const Result<QString> created = FlowTemplates::create(m_dataFolder, m_name->text().trimmed(),
        m_template->currentData().toString(), m_builtinNames);
    if (!created) {
        m_message->setText(escapeControls(created.error().message()));
        m_message->setStyleSheet(QStringLiteral("color: #b3261e;"));
        return;
    }
    m_created = *created;
    QDialog::accept();
}

} // namespace Sluice
