#include "dialogs/settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include "settings/settings.h"

namespace Sluice {

namespace {

    // Sections of the dialog in order, and which key prefixes each holds.
    struct Section
    {
        const char *title;
        QStringList prefixes;
    };

    QList<Section> sections()
    {
        return {
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "Email"),
                { QStringLiteral("smtp"), QStringLiteral("report") } },
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "Alerts"), { QStringLiteral("alerts") } },
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "Sources"),
                { QStringLiteral("sources") } },
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "Data"), { QStringLiteral("history") } },
            { QT_TRANSLATE_NOOP("Sluice::SettingsDialog", "General"), { QStringLiteral("ui") } },
        };
    }

} // namespace

SettingsDialog::SettingsDialog(Settings *settings, const QString &dataFolder, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_tabs(new QTabWidget)
    , m_error(new QLabel)
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    for (const Section &section : sections()) {
        auto *page = new QWidget;
        auto *form = new QFormLayout(page);
        form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
        for (const SettingSpec &spec : Settings::specs()) {
            if (!section.prefixes.contains(spec.section()))
                continue;
            QWidget *editor = nullptr;
            const QVariant value = settings->value(spec.key);
            switch (spec.type) {
            case SettingType::Integer: {
                auto *spin = new QSpinBox;
                spin->setRange(spec.minimum, spec.maximum);
                spin->setValue(value.toInt());
                editor = spin;
                break;
            }
            case SettingType::Boolean: {
                auto *check = new QCheckBox(spec.translatedDescription());
                check->setChecked(value.toBool());
                editor = check;
                break;
            }
            case SettingType::Choice: {
                auto *combo = new QComboBox;
                for (const QString &choice : spec.choices)
                    combo->addItem(choice, choice);
                combo->setCurrentIndex(combo->findData(value.toString()));
                editor = combo;
                break;
            }
            default: {
                auto *line = new QLineEdit(Settings::toText(value));
                line->setPlaceholderText(spec.allowedText());
                line->setClearButtonEnabled(true);
                line->setMinimumWidth(fontMetrics().averageCharWidth() * 40);
                editor = line;
                break;
            }
            }
            editor->setObjectName(spec.key);
            editor->setToolTip(
                QStringLiteral("%1 (%2)").arg(spec.translatedDescription(), spec.key));
            if (settings->source(spec.key) == Settings::Source::Environment
                || settings->source(spec.key) == Settings::Source::CommandLine) {
                editor->setEnabled(false);
                editor->setToolTip(
                    tr("Set by the %1; change it there.").arg(settings->sourceText(spec.key)));
            }
            m_editors.insert(spec.key, editor);
            form->addRow(spec.translatedLabel() + QLatin1Char(':'), editor);
        }
        if (section.prefixes.contains(QStringLiteral("history"))) {
            auto *folder = new QLineEdit(dataFolder);
            folder->setReadOnly(true);
            folder->setObjectName(QStringLiteral("dataFolder"));
            form->insertRow(0, tr("Data folder:"), folder);
        }
        m_tabs->addTab(page, QCoreApplication::translate("Sluice::SettingsDialog", section.title));
    }

    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(560, 380);
}

QString SettingsDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString SettingsDialog::editorText(const QString &key) const
{
    QWidget *editor = m_editors.value(key);
    if (auto *spin = qobject_cast<QSpinBox *>(editor))
        return QString::number(spin->value());
    if (auto *check = qobject_cast<QCheckBox *>(editor))
        return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto *combo = qobject_cast<QComboBox *>(editor))
        return combo->currentData().toString();
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        return line->text();
    return {};
}

void SettingsDialog::markInvalid(const QString &key, const QString &message)
{
    m_error->setText(message);
    m_error->show();
    if (QWidget *editor = m_editors.value(key)) {
        editor->setStyleSheet(QStringLiteral("border: 1px solid #b3261e;"));
        for (int i = 0; i < m_tabs->count(); ++i) {
            if (m_tabs->widget(i)->isAncestorOf(editor))
                m_tabs->setCurrentIndex(i);
        }
        editor->setFocus();
    }
}

void SettingsDialog::clearMarks()
{
    m_error->hide();
    for (QWidget *editor : std::as_const(m_editors))
        editor->setStyleSheet(QString());
}

void SettingsDialog::accept()
{
    clearMarks();
    QMap<QString, QString> changes;
    for (auto it = m_editors.cbegin(); it != m_editors.cend(); ++it) {
        if (!it.value()->isEnabled())
            continue;
        const QString text = editorText(it.key());
        const Result<QVariant> parsed = Settings::parse(it.key(), text);
        if (!parsed) {
            markInvalid(it.key(), parsed.error().message());
            return;
        }
        if (Settings::toText(*parsed) != m_settings->text(it.key()))
            changes.insert(it.key(), text);
    }
    if (!changes.isEmpty()) {
        if (Result<void> ok = m_settings->setTexts(changes); !ok) {
            markInvalid(ok.error().where, ok.error().message());
            return;
        }
    }
    QDialog::accept();
}

} // namespace Sluice
