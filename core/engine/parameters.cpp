#include "engine/parameters.h"

#include <algorithm>
#include <cmath>

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>

namespace Sluice {

namespace {

    QString where(const QString &flowName)
    {
        return QCoreApplication::translate("Sluice::Parameters", "flow \"%1\"").arg(flowName);
    }

    QString valueText(const ParameterSpec &spec)
    {
        if (spec.type == ParameterType::String || spec.type == ParameterType::Date)
            return QLatin1Char('"') + spec.defaultValue.toString() + QLatin1Char('"');
        if (spec.defaultValue.typeId() == QMetaType::Bool)
            return spec.defaultValue.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return spec.defaultValue.toString();
    }

} // namespace

QString Parameters::typeName(ParameterType type)
{
    switch (type) {
    case ParameterType::Int:
        return QStringLiteral("int");
    case ParameterType::Double:
        return QStringLiteral("double");
    case ParameterType::Bool:
        return QStringLiteral("bool");
    case ParameterType::Date:
        return QStringLiteral("date");
    case ParameterType::String:
        break;
    }
    return QStringLiteral("string");
}

QString Parameters::allowedText(ParameterType type)
{
    switch (type) {
    case ParameterType::Int:
        return QCoreApplication::translate("Sluice::Parameters", "a whole number");
    case ParameterType::Double:
        return QCoreApplication::translate("Sluice::Parameters", "a number");
    case ParameterType::Bool:
        return QCoreApplication::translate("Sluice::Parameters", "true or false");
    case ParameterType::Date:
        return QCoreApplication::translate("Sluice::Parameters", "a date YYYY-MM-DD");
    case ParameterType::String:
        break;
    }
    return QCoreApplication::translate("Sluice::Parameters", "any text");
}

QString Parameters::boundsText(const ParameterSpec &spec)
{
    if (spec.minimum && spec.maximum)
        return QStringLiteral("%1..%2").arg(*spec.minimum).arg(*spec.maximum);
    if (spec.minimum)
        return QCoreApplication::translate("Sluice::Parameters", "at least %1").arg(*spec.minimum);
    if (spec.maximum)
        return QCoreApplication::translate("Sluice::Parameters", "at most %1").arg(*spec.maximum);
    return {};
}

QString Parameters::toText(const QVariant &value)
{
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.typeId() == QMetaType::Double)
        return QString::number(value.toDouble(), 'g', 17);
    return value.toString();
}

Result<QVariant> Parameters::convert(const ParameterSpec &spec, const QVariant &value)
{
    Result<QVariant> converted = convertType(spec, value);
    if (!converted || spec.choices.isEmpty())
        return converted;
    const QString text = toText(*converted);
    for (const QString &choice : spec.choices) {
        if (choice == text)
            return converted;
        // "1.50" and "1.5" are the same double.
        if (spec.type == ParameterType::Double) {
            bool ok = false;
            if (const double number = choice.toDouble(&ok); ok && number == converted->toDouble())
                return converted;
        }
    }
    return Error{ QCoreApplication::translate(
                      "Sluice::Parameters", "parameter \"%1\" must be one of %2, not \"%3\"")
                      .arg(spec.name, spec.choices.join(QStringLiteral(", ")), value.toString()),
        {} };
}

Result<QVariant> Parameters::convertType(const ParameterSpec &spec, const QVariant &value)
{
    const bool isText = value.typeId() == QMetaType::QString;
    const QString text = value.toString().trimmed();
    auto refuse = [&] {
        return Error{ QCoreApplication::translate(
                          "Sluice::Parameters", "parameter \"%1\" must be %2 (%3), not \"%4\"")
                          .arg(spec.name, allowedText(spec.type), typeName(spec.type),
                              value.toString()),
            {} };
    };
    bool ok = false;
    switch (spec.type) {
    case ParameterType::Int: {
        const qlonglong number = isText ? text.toLongLong(&ok) : value.toLongLong(&ok);
        if (!ok
            || (!isText && value.typeId() == QMetaType::Double
                && value.toDouble() != std::floor(value.toDouble())))
            return refuse();
        if ((spec.minimum && number < *spec.minimum) || (spec.maximum && number > *spec.maximum))
            return Error{ QCoreApplication::translate(
                              "Sluice::Parameters", "parameter \"%1\" is out of range %2: %3")
                              .arg(spec.name, boundsText(spec), QString::number(number)),
                {} };
        return QVariant(number);
    }
    case ParameterType::Double: {
        const double number = isText ? text.toDouble(&ok) : value.toDouble(&ok);
        if (!ok || !std::isfinite(number))
            return refuse();
        return QVariant(number);
    }
    case ParameterType::Bool:
        if (!isText && value.typeId() == QMetaType::Bool)
            return value;
        for (const char *yes : { "true", "1", "yes", "on" }) {
            if (text.compare(QLatin1String(yes), Qt::CaseInsensitive) == 0)
                return QVariant(true);
        }
        for (const char *no : { "false", "0", "no", "off" }) {
            if (text.compare(QLatin1String(no), Qt::CaseInsensitive) == 0)
                return QVariant(false);
        }
        return refuse();
    case ParameterType::Date: {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (text.size() != 10 || !date.isValid())
            return refuse();
        return QVariant(date.toString(Qt::ISODate));
    }
    case ParameterType::String:
        break;
    }
    return QVariant(value.toString());
}

Result<QVariantMap> Parameters::resolve(
    const QList<ParameterSpec> &specs, const QVariantMap &given, const QString &flowName)
{
    return resolve(specs, given, flowName, QDateTime(), QDateTime());
}

Result<QVariantMap> Parameters::resolve(const QList<ParameterSpec> &specs, const QVariantMap &given,
    const QString &flowName, const QDateTime &time, const QDateTime &previousTime)
{
    for (auto it = given.cbegin(); it != given.cend(); ++it) {
        const bool known = std::any_of(specs.cbegin(), specs.cend(),
            [&](const ParameterSpec &spec) { return spec.name == it.key(); });
        if (!known) {
            const QString what = specs.isEmpty()
                ? QCoreApplication::translate(
                    "Sluice::Parameters", "unknown parameter \"%1\"; this flow takes no parameters")
                      .arg(it.key())
                : QCoreApplication::translate(
                    "Sluice::Parameters", "unknown parameter \"%1\"; the parameters are %2")
                      .arg(it.key(), describe(specs));
            return Error{ what, where(flowName) };
        }
    }
    QVariantMap values;
    for (const ParameterSpec &spec : specs) {
        const auto found = given.constFind(spec.name);
        if (found == given.cend() && spec.required)
            return Error{ QCoreApplication::translate("Sluice::Parameters",
                              "parameter \"%1\" is required; give it as --param %1=VALUE")
                              .arg(spec.name),
                where(flowName) };
        QVariant chosen = spec.defaultValue;
        if (found != given.cend())
            chosen = *found;
        else if (spec.defaultFunction)
            chosen = spec.defaultFunction(time, previousTime);
        Result<QVariant> value = convert(spec, chosen);
        if (!value)
            return Error{ value.error().what, where(flowName) };
        values.insert(spec.name, *value);
    }
    return values;
}

Result<QVariantMap> Parameters::parseAssignments(const QStringList &assignments)
{
    QVariantMap values;
    for (const QString &assignment : assignments) {
        const qsizetype equals = assignment.indexOf(QLatin1Char('='));
        const QString name = assignment.left(equals).trimmed();
        if (equals < 0)
            return Error{ QCoreApplication::translate("Sluice::Parameters",
                              "parameter \"%1\" has no value; write it as %1=VALUE")
                              .arg(name),
                {} };
        if (name.isEmpty())
            return Error{ QCoreApplication::translate("Sluice::Parameters",
                              "\"%1\" names no parameter; write it as NAME=VALUE")
                              .arg(assignment),
                {} };
        if (values.contains(name))
            return Error{ QCoreApplication::translate(
                              "Sluice::Parameters", "parameter \"%1\" is given more than once")
                              .arg(name),
                {} };
        values.insert(name, assignment.mid(equals + 1));
    }
    return values;
}

QString Parameters::describe(const QList<ParameterSpec> &specs)
{
    QStringList parts;
    for (const ParameterSpec &spec : specs) {
        const QString bounds = boundsText(spec);
        const QString type = bounds.isEmpty() ? typeName(spec.type)
                                              : typeName(spec.type) + QLatin1Char(' ') + bounds;
        if (spec.required)
            parts << QCoreApplication::translate("Sluice::Parameters", "%1 (%2, required)")
                         .arg(spec.name, type);
        else if (spec.defaultFunction)
            parts << QCoreApplication::translate("Sluice::Parameters", "%1 (%2)")
                         .arg(spec.name, type);
        else
            parts << QCoreApplication::translate("Sluice::Parameters", "%1 (%2, default %3)")
                         .arg(spec.name, type, valueText(spec));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace Sluice
