#include "dialogs/parametersdialog.h"

#include <algorithm>
#include <limits>

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "engine/displaytext.h"

namespace Sluice {

namespace {
    // The first date of a date edit, shown empty: a required date not entered yet.
    const QDate NoDate(1752, 9, 14);

    constexpr qint64 IntLowest = std::numeric_limits<int>::min();
    constexpr qint64 IntHighest = std::numeric_limits<int>::max();

    const char *const ErrorFrame = "border: 1px solid #c62828; border-radius: 2px;";
} // namespace

ParametersDialog::ParametersDialog(const QString &flow, const QList<ParameterSpec> &specs,
    const QVariantMap &initial, QWidget *parent, const QDateTime &time)
    : QDialog(parent)
    , m_flow(flow)
    , m_specs(specs)
{
    setObjectName(QStringLiteral("parametersDialog"));
    setWindowTitle(tr("Run %1").arg(flow));
    setMinimumWidth(420);
    QDateTime now = time;
    if (!now.isValid()) {
        const qint64 ms = QDateTime::currentMSecsSinceEpoch();
        now = QDateTime::fromMSecsSinceEpoch(ms - ms % 1000, Qt::UTC);
    }
    auto *intro = new QLabel(tr("Parameters of this run of \"%1\":").arg(flow));
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    bool anyRequired = false;
    for (const ParameterSpec &spec : specs) {
        // The default typed as the engine would type it; nothing for a required parameter.
        QVariant value = initial.value(spec.name);
        if (!value.isValid() && !spec.required) {
            const QVariant fallback =
                spec.defaultFunction ? QVariant(spec.defaultFunction(now, {})) : spec.defaultValue;
            if (Result<QVariant> typed = Parameters::convert(spec, fallback))
                value = *typed;
        } else if (value.isValid()) {
            if (Result<QVariant> typed = Parameters::convert(spec, value))
                value = *typed;
        }
        QWidget *editor = createEditor(spec, value);
        editor->setObjectName(spec.name);
        const QString bounds = Parameters::boundsText(spec);
        const QString type = bounds.isEmpty()
            ? Parameters::typeName(spec.type)
            : Parameters::typeName(spec.type) + QLatin1Char(' ') + bounds;
        const QString defaultText = spec.required ? tr("required")
            : spec.defaultFunction                ? tr("default depends on the run time")
                                   : tr("default %1").arg(Parameters::toText(spec.defaultValue));
        editor->setToolTip(spec.description.isEmpty()
                ? tr("%1, %2").arg(type, defaultText)
                : tr("%1 (%2, %3)").arg(spec.description, type, defaultText));
        m_editors.insert(spec.name, editor);

        auto *label =
            new QLabel(spec.required ? tr("%1 *:").arg(spec.name) : tr("%1:").arg(spec.name));
        label->setBuddy(editor);
        label->setToolTip(editor->toolTip());
        if (spec.required) {
            anyRequired = true;
            QFont bold = label->font();
            bold.setBold(true);
            label->setFont(bold);
        }
        form->addRow(label, editor);
        auto *error = new QLabel;
        error->setObjectName(spec.name + QStringLiteral("-error"));
        error->setStyleSheet(QStringLiteral("color: #c62828;"));
        error->setWordWrap(true);
        error->setTextFormat(Qt::PlainText);
        error->hide();
        m_errors.insert(spec.name, error);
        form->addRow(QString(), error);
        if (spec.type != ParameterType::Bool && !spec.description.isEmpty()) {
            auto *hint = new QLabel(spec.description);
            hint->setEnabled(false);
            hint->setWordWrap(true);
            hint->setTextFormat(Qt::PlainText);
            form->addRow(QString(), hint);
        }
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Run"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_valid)
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    if (anyRequired) {
        auto *legend = new QLabel(tr("* required: this parameter has no default."));
        legend->setEnabled(false);
        layout->addWidget(legend);
    }
    layout->addStretch();
    layout->addWidget(buttons);
    validate();
}

bool ParametersDialog::needsForm(const QList<ParameterSpec> &specs)
{
    return std::any_of(
        specs.cbegin(), specs.cend(), [](const ParameterSpec &spec) { return spec.required; });
}

QWidget *ParametersDialog::createEditor(const ParameterSpec &spec, const QVariant &value)
{
    if (!spec.choices.isEmpty()) {
        auto *combo = new QComboBox;
        for (const QString &choice : spec.choices)
            combo->addItem(escapeControls(choice), choice);
        combo->setPlaceholderText(tr("Choose…"));
        combo->setCurrentIndex(
            value.isValid() ? int(spec.choices.indexOf(Parameters::toText(value))) : -1);
        connect(combo, &QComboBox::currentIndexChanged, this, &ParametersDialog::validate);
        return combo;
    }
    switch (spec.type) {
    case ParameterType::Int: {
        // The spec's bounds, so that a value out of range cannot be entered. A required one
        // starts one below, shown empty, until a value is entered.
        auto *spin = new QSpinBox;
        const int lowest = int(std::clamp(spec.minimum.value_or(IntLowest), IntLowest, IntHighest));
        const int highest =
            int(std::clamp(spec.maximum.value_or(IntHighest), IntLowest, IntHighest));
        if (spec.required && !value.isValid() && lowest > IntLowest) {
            spin->setRange(lowest - 1, highest);
            spin->setSpecialValueText(QStringLiteral(" "));
            spin->setValue(lowest - 1);
            spin->setProperty("emptyValue", lowest - 1);
        } else {
            spin->setRange(lowest, highest);
            spin->setValue(int(std::clamp(value.toLongLong(), qint64(lowest), qint64(highest))));
        }
        connect(spin, &QSpinBox::valueChanged, this, &ParametersDialog::validate);
        return spin;
    }
    case ParameterType::Double: {
        auto *spin = new QDoubleSpinBox;
        spin->setDecimals(6);
        spin->setRange(-1e12, 1e12);
        if (spec.required && !value.isValid()) {
            spin->setMinimum(-1e12 - 1);
            spin->setSpecialValueText(QStringLiteral(" "));
            spin->setValue(spin->minimum());
            spin->setProperty("emptyValue", spin->minimum());
        } else {
            spin->setValue(value.toDouble());
        }
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ParametersDialog::validate);
        return spin;
    }
    case ParameterType::Bool: {
        auto *check = new QCheckBox(spec.description);
        check->setChecked(value.toBool());
        connect(check, &QCheckBox::toggled, this, &ParametersDialog::validate);
        return check;
    }
    case ParameterType::Date: {
        auto *date = new QDateEdit;
        date->setCalendarPopup(true);
        date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        date->setMinimumDate(NoDate);
        const QDate given = QDate::fromString(value.toString(), Qt::ISODate);
        if (given.isValid()) {
            date->setDate(given);
        } else {
            // Empty until chosen; the calendar opens on today.
            date->setSpecialValueText(QStringLiteral(" "));
            date->setDate(NoDate);
        }
        connect(date, &QDateEdit::dateChanged, this, &ParametersDialog::validate);
        return date;
    }
    case ParameterType::String:
        break;
    }
    auto *line = new QLineEdit(value.toString());
    line->setMinimumWidth(fontMetrics().averageCharWidth() * 30);
    if (spec.required)
        line->setPlaceholderText(tr("required"));
    connect(line, &QLineEdit::textChanged, this, &ParametersDialog::validate);
    return line;
}

bool ParametersDialog::hasValue(const ParameterSpec &spec) const
{
    QWidget *editor = m_editors.value(spec.name);
    if (auto *combo = qobject_cast<QComboBox *>(editor))
        return combo->currentIndex() >= 0;
    if (auto *spin = qobject_cast<QSpinBox *>(editor))
        return !spin->property("emptyValue").isValid()
            || spin->value() != spin->property("emptyValue").toInt();
    if (auto *real = qobject_cast<QDoubleSpinBox *>(editor))
        return !real->property("emptyValue").isValid()
            || real->value() != real->property("emptyValue").toDouble();
    if (auto *date = qobject_cast<QDateEdit *>(editor))
        return date->date() != NoDate;
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        return !spec.required || !line->text().isEmpty();
    return true;
}

QVariant ParametersDialog::value(const ParameterSpec &spec) const
{
    QWidget *editor = m_editors.value(spec.name);
    if (auto *combo = qobject_cast<QComboBox *>(editor))
        return combo->currentData().toString();
    if (auto *spin = qobject_cast<QSpinBox *>(editor))
        return spin->value();
    if (auto *real = qobject_cast<QDoubleSpinBox *>(editor))
        return real->value();
    if (auto *check = qobject_cast<QCheckBox *>(editor))
        return check->isChecked();
    if (auto *date = qobject_cast<QDateEdit *>(editor))
        return date->date().toString(Qt::ISODate);
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        return line->text();
    return {};
}

QVariantMap ParametersDialog::values() const
{
    QVariantMap values;
    for (const ParameterSpec &spec : m_specs) {
        if (hasValue(spec))
            values.insert(spec.name, value(spec));
    }
    return values;
}

QString ParametersDialog::errorText(const QString &name) const
{
    const QLabel *label = m_errors.value(name);
    return label && !label->isHidden() ? label->text() : QString();
}

void ParametersDialog::validate()
{
    for (const ParameterSpec &spec : std::as_const(m_specs)) {
        QString message;
        if (!hasValue(spec)) {
            message = tr("Enter a value: this parameter has no default.");
        } else if (Result<QVariant> typed = Parameters::convert(spec, value(spec)); !typed) {
            message = typed.error().what;
        }
        QLabel *error = m_errors.value(spec.name);
        error->setText(escapeControls(message));
        error->setVisible(!message.isEmpty());
        QWidget *editor = m_editors.value(spec.name);
        editor->setStyleSheet(message.isEmpty() || qobject_cast<QCheckBox *>(editor)
                ? QString()
                : QString::fromLatin1(ErrorFrame));
    }
    // The engine's own check of the whole set decides.
    m_valid = bool(Parameters::resolve(m_specs, values(), m_flow));
    m_ok->setEnabled(m_valid);
}

} // namespace Sluice
