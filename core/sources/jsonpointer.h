#pragma once
// An RFC 6901 JSON pointer ("/data/3/p", "" for the whole document, "~1" for '/' and "~0" for
// '~' inside a name), parsed once and then resolved against many values: the `http` step
// finds its rows and, in each row, its columns this way. Pure, callable from any thread.

#include <QByteArray>
#include <QByteArrayList>
#include <QCoreApplication>
#include <QString>

#include "engine/result.h"

namespace Sluice {

struct JsonNode;

class JsonPointer
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::JsonPointer)

public:
    JsonPointer() = default; // the whole document

    // An error when the text is neither empty nor starts with '/', or has a '~' not followed
    // by 0 or 1.
    static Result<JsonPointer> parse(const QString &text);

    // The value the pointer names inside root, or nullptr. A token names an object's member by
    // its name, or an array's element by its index written in decimal without leading zeros.
    const JsonNode *find(const JsonNode &root) const;

    const QByteArrayList &tokens() const { return m_tokens; }
    QString toString() const { return m_text; }
    bool isRoot() const { return m_tokens.isEmpty(); }

    // "/data/3" from "/data" and 3: the pointer of an element, for messages.
    static QString element(const QString &base, qsizetype index);
    // The token escaped for a pointer's text ("a/b" -> "a~1b").
    static QString escape(const QString &token);
    // The index a token names in an array, or -1.
    static qsizetype indexOf(QByteArrayView token);

private:
    QByteArrayList m_tokens; // decoded
    QString m_text;
};

} // namespace Sluice
