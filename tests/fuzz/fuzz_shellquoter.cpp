// The shell quoter of `run` steps: any shell text is scanned without a crash; text without
// `${` comes out as it went in (the quoter only ever touches variables and `$${`); every
// problem is at a `${` of the text; and each value it inserts is the whole value as one
// single-quoted word. (That /bin/sh reads it back exactly is tst_flowvariables' job.)

#include "flowfile/shellquoter.h"
#include "fuzzcheck.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    // A hostile value: every shell metacharacter, quotes of both kinds, a newline.
    const QString value = QStringLiteral("a'b\"c$(x)`y`\\${z}\n;|&*");
    int calls = 0;
    const ShellQuoter::Substitution substitution =
        ShellQuoter::substitute(text, [&](const QString &) {
            ++calls;
            return value;
        });
    for (const TemplateProblem &problem : substitution.problems) {
        FUZZ_CHECK(problem.offset >= 0 && problem.offset < text.size());
        FUZZ_CHECK(text.mid(problem.offset, 2) == QLatin1String("${"));
        FUZZ_CHECK(!problem.message.isEmpty());
    }
    FUZZ_CHECK(calls <= int(substitution.variables.size()));
    if (!text.contains(QLatin1String("${")))
        FUZZ_CHECK(substitution.text == text);
    // Every inserted value is the whole quoted word.
    if (calls > 0 && substitution.problems.isEmpty())
        FUZZ_CHECK(substitution.text.contains(ShellQuoter::quote(value)));
    // Quoting is a pure function: the same value always gives the same word.
    FUZZ_CHECK(ShellQuoter::quote(value) == ShellQuoter::quote(value));
    return 0;
}
