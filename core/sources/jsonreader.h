#pragma once

// Reads a JSON document into a small tree that keeps every number as the text it was written
// in, so that values beyond what a double holds exactly (hash rates near 7e20) can be read
// exactly afterwards (QJsonDocument turns every number into a double). Pure functions, callable
// from any thread.

#include <functional>
#include <vector>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "engine/result.h"

namespace Sluice {

class JsonPointer;

struct JsonNode
{
    enum class Type : quint8 { Null, Boolean, Number, String, Array, Object };

    Type type = Type::Null;
    bool boolean = false;
    qsizetype offset = 0; // of the value's first byte in the document
    QByteArray text; // Number: the token as written; String: the decoded UTF-8
    std::vector<JsonNode> items; // Array: the elements; Object: the member values
    QList<QByteArray> keys; // Object: the member names (decoded UTF-8), parallel to items

    bool isNumber() const { return type == Type::Number; }
    bool isString() const { return type == Type::String; }
    bool isArray() const { return type == Type::Array; }
    bool isObject() const { return type == Type::Object; }

    // The value of the first member named key, or nullptr (also when this is not an object).
    const JsonNode *member(QByteArrayView key) const;
    // "a number", "a string", "an array"... for messages such as "expected an array, got %1".
    QString typeName() const;
    static QString typeName(Type type);
};

class JsonReader
{
public:
    // The document's one value. Errors name the byte offset: "invalid JSON at offset 123:
    // unexpected end of data". Nesting deeper than MaxDepth is refused (no stack overflow on
    // garbage). A UTF-8 byte order mark is skipped.
    static Result<JsonNode> read(QByteArrayView document);

    // Reads like read(), but hands each element of the array the pointer names to element as
    // soon as it is read, instead of keeping it: the memory is that of one element however
    // long the array (a million rows of an `http` step). In the tree returned that array is
    // empty. An error from element stops the reading and is returned as it is; a pointer
    // that names nothing, or no array, is an error too.
    using ElementFunction = std::function<Result<void>(qsizetype index, const JsonNode &element)>;
    static Result<JsonNode> read(
        QByteArrayView document, const JsonPointer &array, const ElementFunction &element);

    static constexpr int MaxDepth = 64;
};

} // namespace Sluice
