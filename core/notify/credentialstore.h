#pragma once

// Where the SMTP password of a data folder lives: the system keyring (through QtKeychain), or,
// by the user's explicit choice where no keyring answers, the data folder's credentials file
// (mode 0600). Reading looks in the keyring first, then in the file. The password is never
// put into an Error, a log line or settings.ini. A plain value: copy it to any thread; the
// blocking calls must not run on the GUI thread, the async ones are for it.

#include <QCoreApplication>
#include <QString>

#include <chrono>
#include <functional>

#include "engine/result.h"
#include "notify/credentialfile.h"
#include "notify/keyring.h"

class QObject;

namespace Sluice {

class DataFolder;

enum class CredentialLocation { None, Keyring, File };

class CredentialStore
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::CredentialStore)

public:
    static constexpr std::chrono::milliseconds DefaultTimeout = std::chrono::seconds(30);

    struct Lookup
    {
        QString password; // empty unless location is not None
        CredentialLocation location = CredentialLocation::None;
        // Why the keyring could not be asked (QtKeychain's text); empty when it answered.
        QString keyringProblem;
    };
    using LookupCallback = std::function<void(const Result<Lookup> &)>;
    using DoneCallback = std::function<void(const Result<void> &)>;

    // The keyring entry is the data folder's own ("smtp-password <folder path>"), so that two
    // data folders keep two passwords.
    explicit CredentialStore(const DataFolder &folder);
    CredentialStore(const QString &filePath, const QString &keyringKey);

    // The password of the run store's PostgreSQL URL when the URL has none: a second entry
    // ("store-password <folder path>", the file store-credentials).
    static CredentialStore forStore(const DataFolder &folder);

    QString filePath() const { return m_file.path(); }
    QString keyringKey() const { return m_keyring.key(); }
    static QString keyringKeyFor(const DataFolder &folder);

    // Keyring first, then the file when it exists. Fails only when the file exists but may
    // not be used (its mode, its owner) or cannot be read; no password anywhere is a Lookup
    // with location None.
    Result<Lookup> read(std::chrono::milliseconds timeout = DefaultTimeout) const;

    // Keyring: stores it there; when no keyring answers, fails with an Error whose code is
    // ErrorCode::NoKeyring and whose `what` quotes QtKeychain. On success a credentials file
    // left from before is removed (it would hold a stale password in plain text).
    // File: writes the 0600 file and removes the keyring entry if a keyring answers (the
    // keyring is read first and would shadow the file).
    Result<void> store(const QString &password, CredentialLocation where,
        std::chrono::milliseconds timeout = DefaultTimeout) const;

    // Removes the password from both places. A keyring that does not answer is no error.
    Result<void> remove(std::chrono::milliseconds timeout = DefaultTimeout) const;

    // The same for the GUI thread: done runs on context's thread.
    void readAsync(QObject *context, LookupCallback done,
        std::chrono::milliseconds timeout = DefaultTimeout) const;
    void storeAsync(const QString &password, CredentialLocation where, QObject *context,
        DoneCallback done, std::chrono::milliseconds timeout = DefaultTimeout) const;

    // "the system keyring", "<path> (readable only by you)", "not set": for messages.
    QString describe(CredentialLocation location) const;

private:
    Result<Lookup> readFile(const QString &keyringProblem) const;
    Result<void> afterKeyringStore(const Keyring::Reply &reply) const;

    CredentialFile m_file;
    Keyring m_keyring;
};

} // namespace Sluice
