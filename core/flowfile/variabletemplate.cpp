#include "flowfile/variabletemplate.h"

#include <QCoreApplication>

namespace Sluice {

FlowVariable FlowVariable::parse(QStringView name)
{
    static const struct
    {
        const char *name;
        Kind kind;
    } fixed[] = {
        { "run.id", Kind::RunId },
        { "run.time", Kind::RunTime },
        { "run.date", Kind::RunDate },
        { "run.stamp", Kind::RunStamp },
        { "run.prev-time", Kind::RunPrevTime },
        { "flow.name", Kind::FlowName },
        { "flow.dir", Kind::FlowDir },
        { "data-dir", Kind::DataDir },
    };
    for (const auto &entry : fixed) {
        if (name == QLatin1String(entry.name))
            return { entry.kind, {} };
    }
    const auto isNameChar = [](QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'-'; };
    const auto isName = [&](QStringView text) {
        if (text.isEmpty())
            return false;
        for (QChar c : text) {
            if (!isNameChar(c))
                return false;
        }
        return true;
    };
    if (name.startsWith(u"params.") && isName(name.mid(7)))
        return { Kind::Param, name.mid(7).toString() };
    if (name.startsWith(u"env.") && isName(name.mid(4)))
        return { Kind::Env, name.mid(4).toString() };
    if (name.startsWith(u"steps.") && name.endsWith(u".output")) {
        const QStringView id = name.mid(6, name.size() - 6 - 7);
        if (isName(id))
            return { Kind::StepOutput, id.toString() };
    }
    return {};
}

QString FlowVariable::timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss'Z'"))
                          : QString();
}

QString FlowVariable::timeValue(const QDateTime &time, const QDateTime &previousTime) const
{
    switch (kind) {
    case Kind::RunTime:
        return timeText(time);
    case Kind::RunDate:
        return time.toUTC().date().toString(Qt::ISODate);
    case Kind::RunStamp:
        return time.toUTC().toString(QStringLiteral("yyyyMMddTHHmmss'Z'"));
    case Kind::RunPrevTime:
        return timeText(previousTime);
    default:
        return {};
    }
}

bool FlowVariable::isRunVariable() const
{
    switch (kind) {
    case Kind::RunId:
    case Kind::RunTime:
    case Kind::RunDate:
    case Kind::RunStamp:
    case Kind::RunPrevTime:
        return true;
    default:
        return false;
    }
}

qsizetype VariableTemplate::variableEnd(QStringView text, qsizetype offset)
{
    for (qsizetype i = offset + 2; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'}')
            return i + 1;
        if (c == u'\n' || (c == u'$' && i + 1 < text.size() && text.at(i + 1) == u'{'))
            return -1;
    }
    return -1;
}

VariableTemplate VariableTemplate::parse(const QString &text)
{
    VariableTemplate result;
    QString literal;
    qsizetype literalStart = 0;
    const auto flush = [&](qsizetype end) {
        if (!literal.isEmpty())
            result.m_pieces.append({ false, literal, literalStart, end - literalStart });
        literal.clear();
        literalStart = end;
    };
    qsizetype i = 0;
    while (i < text.size()) {
        // Copy up to the next `$` at once: most texts have few.
        const qsizetype dollar = text.indexOf(QLatin1Char('$'), i);
        if (dollar < 0) {
            literal += QStringView(text).mid(i);
            break;
        }
        literal += QStringView(text).mid(i, dollar - i);
        i = dollar;
        const QChar c = text.at(i);
        if (c == u'$' && QStringView(text).mid(i, 3) == u"$${") {
            literal += QStringLiteral("${");
            i += 3;
            continue;
        }
        if (c == u'$' && i + 1 < text.size() && text.at(i + 1) == u'{') {
            const qsizetype end = variableEnd(text, i);
            if (end < 0) {
                result.m_problems.append({ i,
                    QCoreApplication::translate("Sluice::FlowFile",
                        "unterminated `${`: a variable ends with `}` on the same line; write "
                        "`$${` for a literal `${`") });
                literal += QStringLiteral("${");
                i += 2;
                continue;
            }
            flush(i);
            result.m_pieces.append({ true, text.mid(i + 2, end - i - 3), i, end - i });
            literalStart = end;
            i = end;
            continue;
        }
        literal += c;
        ++i;
    }
    flush(text.size());
    return result;
}

bool VariableTemplate::hasVariables() const
{
    for (const Piece &piece : m_pieces) {
        if (piece.isVariable)
            return true;
    }
    return false;
}

QString VariableTemplate::substitute(const std::function<QString(const QString &)> &value) const
{
    QString result;
    for (const Piece &piece : m_pieces)
        result += piece.isVariable ? value(piece.text) : piece.text;
    return result;
}

} // namespace Sluice
