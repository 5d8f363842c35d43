#pragma once

// Substitutes the variables of a `run` shell text so that /bin/sh reads each value exactly as
// it is, whatever surrounds it (README, "Your own flows"). It
// follows the shell's quoting as it goes: bare words, "...", '...', $(...), backslashes and
// comments, and inserts each value as a single-quoted word, closing and reopening the quotes
// around it. Where no quoting can make a value safe (backquotes, $((...)), the shell's own
// $${...}, here-documents, after a backslash) the variable is a problem instead. Pure
// functions; any thread.

#include <functional>

#include <QList>
#include <QString>

#include "flowfile/variabletemplate.h"

namespace Sluice {

class ShellQuoter
{
public:
    struct Substitution
    {
        QString text; // the shell text to run; never run it when problems is not empty
        QList<TemplateProblem> problems; // offsets into the shell text as written
        QList<VariableTemplate::Piece> variables; // every variable met, comments included
    };

    // value(name) gives the value of `${name}`; it is called for every variable outside
    // comments (with `{}` to only check, the problems are the same).
    static Substitution substitute(
        const QString &shellText, const std::function<QString(const QString &name)> &value);
    // The value as one single-quoted sh word: `it's` -> `'it'\''s'`; `''` for empty.
    static QString quote(const QString &value);
};

} // namespace Sluice
