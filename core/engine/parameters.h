#pragma once

// Typed flow parameters: their declaration, the parsing of "k=v" text from the command line,
// and the check of a run's values against a flow's declarations (defaults filled in). Pure
// functions; any thread.

#include <functional>
#include <optional>

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

#include "engine/result.h"

namespace Sluice {

// Date: a calendar date written YYYY-MM-DD, kept as that text.
enum class ParameterType { Int, Double, Bool, String, Date };

struct ParameterSpec
{
    QString name;
    ParameterType type = ParameterType::String;
    QVariant defaultValue;
    QString description;
    // Of an Int parameter, inclusive; a value outside is refused. Empty: no bound.
    std::optional<qint64> minimum = std::nullopt;
    std::optional<qint64> maximum = std::nullopt;
    // The values allowed, as texts in the type's canonical form ("eu", "3", "true"); empty:
    // any value of the type.
    QStringList choices = {};
    // A default that depends on the run (a flow file's "${run.date}"): given the run's logical
    // time and the schedule's fire before it, the default as text. Used instead of
    // defaultValue when set.
    std::function<QString(const QDateTime &time, const QDateTime &previousTime)>
        defaultFunction = {};
    // A parameter without a default must be given; the error names it.
    bool required = false;
};

class Parameters
{
public:
    // "int", "double", "bool", "string": as users write them in messages and listings.
    static QString typeName(ParameterType type);
    // "a whole number", "true or false": what a value of the type must be, translated.
    static QString allowedText(ParameterType type);

    // "1..3650", "at least 0", "at most 10"; empty without bounds.
    static QString boundsText(const ParameterSpec &spec);

    // Converts a value (typed, or text to parse) to the parameter's type and checks its bounds.
    // The error names the parameter, what is allowed and the value given.
    static Result<QVariant> convert(const ParameterSpec &spec, const QVariant &value);

    // The complete parameters of a run: every declared parameter, given or default. Unknown
    // names are refused with the list of the flow's parameters.
    // time and previousTime feed defaultFunction (README, "Your own flows").
    static Result<QVariantMap> resolve(
        const QList<ParameterSpec> &specs, const QVariantMap &given, const QString &flowName);
    static Result<QVariantMap> resolve(const QList<ParameterSpec> &specs, const QVariantMap &given,
        const QString &flowName, const QDateTime &time, const QDateTime &previousTime);

    // Splits "k=v" assignments (from --param) into a map of texts; a text without "=", an empty
    // name or a name given twice is refused.
    static Result<QVariantMap> parseAssignments(const QStringList &assignments);

    // A value as text in its type's canonical form: "true", "2.5", "eu" (what choices and
    // flow-file variables compare and show).
    static QString toText(const QVariant &value);

    // "fail (bool, default false), sleep-ms (int 0..600000, default 300)".
    static QString describe(const QList<ParameterSpec> &specs);

private:
    static Result<QVariant> convertType(const ParameterSpec &spec, const QVariant &value);
};

} // namespace Sluice
