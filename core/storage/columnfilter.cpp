#include "storage/columnfilter.h"

#include <cmath>
#include <optional>

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

namespace Sluice {

namespace {

    using Op = TableCondition::Operator;

    // The operators a filter may start with, longest first so that "<=" is not read as "<".
    struct Prefix
    {
        const char *text;
        Op op;
    };
    constexpr Prefix Prefixes[] = {
        { "!=", Op::NotEqual },
        { "<>", Op::NotEqual },
        { ">=", Op::GreaterOrEqual },
        { "<=", Op::LessOrEqual },
        { "=", Op::Equal },
        { ">", Op::Greater },
        { "<", Op::Less },
    };

    // Dates from year 1 to 9999: QDateTime's own range is wider, but this keeps every end
    // of a span (start + one month at most) far inside qint64.
    constexpr qint64 MinSeconds = -62135596800; // 0001-01-01T00:00:00Z
    constexpr qint64 MaxSeconds = 253402300799; // 9999-12-31T23:59:59Z

    // A time and the end of what it names (exclusive): a second, minute, day or month.
    struct Span
    {
        qint64 start = 0;
        qint64 end = 0;
    };

    struct Failure
    {
        QString what;
    };

    template <typename T> using Read = std::variant<T, Failure>;

    Failure failure(const QString &what)
    {
        return Failure{ what };
    }

    // "x" as written: the quotes off and doubled quotes single. Text without a leading quote is
    // returned as it is.
    Read<QString> unquoted(const QString &text)
    {
        if (!text.startsWith(QLatin1Char('"')))
            return text;
        QString value;
        qsizetype at = 1;
        while (at < text.size()) {
            const QChar c = text[at];
            if (c == QLatin1Char('"')) {
                if (at + 1 < text.size() && text[at + 1] == QLatin1Char('"')) {
                    value += c;
                    at += 2;
                    continue;
                }
                if (at + 1 != text.size()) {
                    return failure(ColumnFilter::tr("unexpected text after the closing quote: %1")
                                       .arg(text.mid(at + 1)));
                }
                return value;
            }
            value += c;
            ++at;
        }
        return failure(ColumnFilter::tr("the quote opened in %1 is not closed").arg(text));
    }

    // An integer when the text is one (exact beyond 2^53), else a finite double: in the UI's
    // locale first (its grouping and decimal point), then as C writes numbers.
    Read<QVariant> number(const QString &text)
    {
        const QLocale locale;
        bool ok = false;
        for (const QLocale &reader : { locale, QLocale::c() }) {
            const qlonglong integer = reader.toLongLong(text, &ok);
            if (ok)
                return QVariant(integer);
            const double real = reader.toDouble(text, &ok);
            if (ok && std::isfinite(real))
                return QVariant(real);
        }
        return failure(ColumnFilter::tr("“%1” is not a number").arg(text));
    }

    // True when a < b, comparing integers as integers.
    bool lessThan(const QVariant &a, const QVariant &b)
    {
        if (a.typeId() == QMetaType::LongLong && b.typeId() == QMetaType::LongLong)
            return a.toLongLong() < b.toLongLong();
        return a.toDouble() < b.toDouble();
    }

    Read<Span> time(const QString &text, Qt::TimeSpec spec)
    {
        static const QRegularExpression seconds(QStringLiteral("^[+-]?[0-9]{1,19}$"));
        if (seconds.match(text).hasMatch()) {
            bool ok = false;
            const qlonglong value = text.toLongLong(&ok);
            if (!ok || value < MinSeconds || value > MaxSeconds) {
                return failure(
                    ColumnFilter::tr("%1 seconds since 1970 is outside the years 1 to 9999")
                        .arg(text));
            }
            return Span{ value, value + 1 };
        }
        QString written = text;
        if (written.endsWith(QLatin1Char('Z')) || written.endsWith(QLatin1Char('z'))) {
            written.chop(1);
            spec = Qt::UTC;
        }
        if (written.size() > 10 && written[10] == QLatin1Char('T'))
            written[10] = QLatin1Char(' ');
        enum class Extent { Second, Minute, Day, Month };
        struct Format
        {
            const char *pattern;
            Extent extent;
        };
        static constexpr Format formats[] = {
            { "yyyy-MM-dd HH:mm:ss", Extent::Second },
            { "yyyy-MM-dd HH:mm", Extent::Minute },
            { "yyyy-MM-dd", Extent::Day },
            { "yyyy-MM", Extent::Month },
        };
        for (const Format &format : formats) {
            const QDateTime read =
                QDateTime::fromString(written, QString::fromLatin1(format.pattern));
            if (!read.isValid())
                continue;
            const QDateTime start(read.date(), read.time(), spec);
            QDateTime end;
            switch (format.extent) {
            case Extent::Second:
                end = start.addSecs(1);
                break;
            case Extent::Minute:
                end = start.addSecs(60);
                break;
            case Extent::Day:
                end = QDateTime(read.date().addDays(1), QTime(0, 0), spec);
                break;
            case Extent::Month:
                end = QDateTime(read.date().addMonths(1), QTime(0, 0), spec);
                break;
            }
            if (!start.isValid() || !end.isValid())
                break;
            const qint64 first = start.toSecsSinceEpoch();
            const qint64 last = end.toSecsSinceEpoch();
            if (first < MinSeconds || last > MaxSeconds + 1 || last <= first)
                break;
            return Span{ first, last };
        }
        return failure(ColumnFilter::tr("“%1” is not a date and time (yyyy-MM-dd HH:mm:ss, "
                                        "yyyy-MM-dd HH:mm, yyyy-MM-dd, yyyy-MM) or seconds "
                                        "since 1970")
                           .arg(text));
    }

    // The conditions of one comparison of column with a time span.
    QList<TableCondition> timeConditions(const QString &column, Op op, const Span &span)
    {
        const bool instant = span.end - span.start == 1;
        switch (op) {
        case Op::Equal:
            if (instant)
                return { { column, Op::Equal, span.start } };
            return { { column, Op::GreaterOrEqual, span.start }, { column, Op::Less, span.end } };
        case Op::NotEqual:
            if (instant)
                return { { column, Op::NotEqual, span.start } };
            return { { column, Op::Outside, QVariantList{ span.start, span.end } } };
        case Op::Less:
            return { { column, Op::Less, span.start } };
        case Op::LessOrEqual:
            return { { column, Op::Less, span.end } };
        case Op::Greater:
            return { { column, Op::GreaterOrEqual, span.end } };
        case Op::GreaterOrEqual:
            return { { column, Op::GreaterOrEqual, span.start } };
        default:
            return {};
        }
    }

    // Where "a..b" splits, or -1. Numbers and times hold no "..", so the first one is it.
    qsizetype rangeSeparator(const QString &text)
    {
        return text.indexOf(QLatin1String(".."));
    }

} // namespace

Result<QList<TableCondition>> ColumnFilter::parse(
    const QString &column, Kind kind, const QString &text, Qt::TimeSpec spec)
{
    auto fail = [&column](const QString &what) {
        return Error{ what, column, ErrorCode::Permanent };
    };
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return QList<TableCondition>{};
    if (trimmed.compare(QLatin1String("NULL"), Qt::CaseInsensitive) == 0)
        return QList<TableCondition>{ { column, Op::IsNull, {} } };
    if (trimmed.compare(QLatin1String("!NULL"), Qt::CaseInsensitive) == 0)
        return QList<TableCondition>{ { column, Op::IsNotNull, {} } };

    std::optional<Op> op;
    QString rest = trimmed;
    for (const Prefix &prefix : Prefixes) {
        if (trimmed.startsWith(QLatin1String(prefix.text))) {
            op = prefix.op;
            rest = trimmed.mid(qsizetype(qstrlen(prefix.text))).trimmed();
            if (rest.isEmpty()) {
                return fail(tr("“%1” needs a value after it").arg(QLatin1String(prefix.text)));
            }
            break;
        }
    }

    if (kind == Kind::Text) {
        const Read<QString> value = unquoted(rest);
        if (const auto *bad = std::get_if<Failure>(&value))
            return fail(bad->what);
        const QString &written = std::get<QString>(value);
        return QList<TableCondition>{ { column, op.value_or(Op::Contains), written } };
    }

    // Numbers and times: a value, or a range when there is no operator.
    const qsizetype separator = op ? -1 : rangeSeparator(rest);
    QString low = separator < 0 ? rest : rest.left(separator).trimmed();
    QString high = separator < 0 ? QString() : rest.mid(separator + 2).trimmed();
    for (QString *part : { &low, &high }) {
        const Read<QString> value = unquoted(*part);
        if (const auto *bad = std::get_if<Failure>(&value))
            return fail(bad->what);
        *part = std::get<QString>(value).trimmed();
    }
    // Checked once the quotes are off: "" is no value either.
    if (separator >= 0 && low.isEmpty() && high.isEmpty())
        return fail(tr("a range needs a start, an end or both: a..b, a.. or ..b"));
    if (separator < 0 && low.isEmpty())
        return fail(tr("“%1” holds no value").arg(trimmed));

    if (kind == Kind::Number) {
        std::optional<QVariant> from, to;
        for (const auto &[written, slot] : { std::pair{ &low, &from }, std::pair{ &high, &to } }) {
            if (written->isEmpty())
                continue;
            const Read<QVariant> value = number(*written);
            if (const auto *bad = std::get_if<Failure>(&value))
                return fail(bad->what);
            *slot = std::get<QVariant>(value);
        }
        if (separator < 0)
            return QList<TableCondition>{ { column, op.value_or(Op::Equal), *from } };
        if (from && to && lessThan(*to, *from)) {
            return fail(tr("the range %1..%2 is empty: its start is after its end").arg(low, high));
        }
        QList<TableCondition> conditions;
        if (from)
            conditions << TableCondition{ column, Op::GreaterOrEqual, *from };
        if (to)
            conditions << TableCondition{ column, Op::LessOrEqual, *to };
        return conditions;
    }

    std::optional<Span> from, to;
    for (const auto &[written, slot] : { std::pair{ &low, &from }, std::pair{ &high, &to } }) {
        if (written->isEmpty())
            continue;
        const Read<Span> value = time(*written, spec);
        if (const auto *bad = std::get_if<Failure>(&value))
            return fail(bad->what);
        *slot = std::get<Span>(value);
    }
    if (separator < 0)
        return timeConditions(column, op.value_or(Op::Equal), *from);
    if (from && to && to->end <= from->start)
        return fail(tr("the range %1..%2 is empty: its start is after its end").arg(low, high));
    QList<TableCondition> conditions;
    if (from)
        conditions << TableCondition{ column, Op::GreaterOrEqual, from->start };
    if (to)
        conditions << TableCondition{ column, Op::Less, to->end };
    return conditions;
}

} // namespace Sluice
