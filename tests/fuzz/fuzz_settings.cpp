// Settings values (Settings::parse of every key) and settings.ini text (IniChecker): any text
// is accepted or refused cleanly; an accepted value is canonical: its text parses again to the
// same value. A proxy text's masked form never fails.

#include "fuzzcheck.h"
#include "settings/inichecker.h"
#include "settings/settings.h"

using namespace Sluice;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 512)
        return 0;
    const QList<SettingSpec> &specs = Settings::specs();
    const SettingSpec &spec = specs[data[0] % specs.size()];
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const QString text = QString::fromUtf8(bytes);
    const Result<QVariant> value = Settings::parse(spec.key, text);
    if (value) {
        const QString canonical = Settings::toText(*value);
        const Result<QVariant> again = Settings::parse(spec.key, canonical);
        FUZZ_CHECK(again);
        FUZZ_CHECK(*again == *value);
        FUZZ_CHECK(Settings::toText(*again) == canonical);
    } else {
        FUZZ_CHECK(!value.error().what.isEmpty());
    }
    (void)Settings::maskPassword(text);
    (void)IniChecker::checkText(bytes);
    return 0;
}
