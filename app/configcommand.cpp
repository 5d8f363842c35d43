// `sluice config`: list, read and change the settings of the data folder.

#include <cerrno>
#include <csignal>
#include <cstring>

#include <termios.h>
#include <unistd.h>

#include <QStringDecoder>
#include <QTextStream>

#include "commandline.h"
#include "notify/credentialstore.h"
#include "settings/datafolder.h"
#include "settings/settings.h"

namespace Sluice::Cli {

namespace {

    int usage(const QString &message)
    {
        err()
            << QCoreApplication::applicationName() << " config: " << message << '\n'
            << CommandLine::tr(
                   "Usage: sluice config list | get KEY | set KEY VALUE | unset KEY | set-password "
                   "[smtp|store] [--store keyring|file]")
            << '\n';
        return ExitUsage;
    }

    int refused(const Error &error)
    {
        err() << QCoreApplication::applicationName() << " config: " << error.message() << '\n';
        return ExitUsage;
    }

    // The terminal's settings while echo is off, restored on every way out, Ctrl-C included.
    termios savedTerminal;
    volatile std::sig_atomic_t echoIsOff = 0;

    void restoreEcho()
    {
        if (echoIsOff) {
            ::tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal);
            echoIsOff = 0;
        }
    }

    void restoreEchoAndDie(int signal)
    {
        restoreEcho(); // tcsetattr is async-signal-safe
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }

    // Reads the password from standard input: one line typed without echo on a terminal, or
    // everything up to end of input otherwise, which must be a single line. Fails with the
    // reason (never quoting the input).
    Result<QString> readPassword(const QString &prompt)
    {
        const bool terminal = ::isatty(STDIN_FILENO) == 1;
        if (terminal) {
            // Echo off before the prompt: TCSAFLUSH drops what was typed before it (as
            // getpass() does), and whatever is typed after the prompt is never echoed.
            if (::tcgetattr(STDIN_FILENO, &savedTerminal) == 0) {
                termios quiet = savedTerminal;
                quiet.c_lflag &= ~tcflag_t(ECHO);
                quiet.c_lflag |= ECHONL;
                std::signal(SIGINT, &restoreEchoAndDie);
                std::signal(SIGTERM, &restoreEchoAndDie);
                std::signal(SIGHUP, &restoreEchoAndDie);
                echoIsOff = 1;
                ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
            }
            err() << prompt;
            err().flush();
        }

        QByteArray input;
        char buffer[1024];
        bool failed = false;
        int readError = 0;
        for (;;) {
            const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                failed = true;
                readError = errno;
                break;
            }
            if (n == 0)
                break;
            input.append(buffer, n);
            if (terminal && input.contains('\n'))
                break;
            if (input.size() > 64 * 1024)
                break;
        }
        if (terminal) {
            restoreEcho();
            std::signal(SIGINT, SIG_DFL);
            std::signal(SIGTERM, SIG_DFL);
            std::signal(SIGHUP, SIG_DFL);
        }
        if (failed)
            return Error{ CommandLine::tr("cannot read standard input: %1")
                              .arg(QString::fromLocal8Bit(std::strerror(readError))),
                QString() };
        if (input.size() > 64 * 1024)
            return Error{ CommandLine::tr("the password is too long"), QString() };

        if (input.endsWith('\n'))
            input.chop(1);
        if (input.endsWith('\r'))
            input.chop(1);
        if (input.contains('\n') || input.contains('\r'))
            return Error{ CommandLine::tr("the password must be a single line; standard input "
                                          "has more than one"),
                QString() };
        if (input.isEmpty())
            return Error{ CommandLine::tr("the password is empty; nothing was stored"), QString() };
        if (input.contains('\0'))
            return Error{ CommandLine::tr("the password contains a NUL character"), QString() };
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString password = decoder.decode(input);
        if (decoder.hasError())
            return Error{ CommandLine::tr("the password is not valid UTF-8"), QString() };
        return password;
    }

    // `config set-password [smtp|store] [--store keyring|file]`: the SMTP password, or the
    // password of the PostgreSQL run store's URL.
    int setPassword(Context &context)
    {
        const QString app = QCoreApplication::applicationName();
        const QString which = context.arguments.value(1, QStringLiteral("smtp"));
        if (context.arguments.size() > 2 || (which != u"smtp" && which != u"store"))
            return usage(CommandLine::tr("\"set-password\" takes smtp (the default) or store, and "
                                         "reads the password from standard input"));
        const bool forStore = which == u"store";
        CredentialLocation where = CredentialLocation::Keyring;
        if (context.parser.isSet(QStringLiteral("store"))) {
            const QString store = context.parser.value(QStringLiteral("store"));
            if (store == u"file")
                where = CredentialLocation::File;
            else if (store != u"keyring")
                return usage(CommandLine::tr("--store must be \"keyring\" or \"file\", not \"%1\"")
                                 .arg(store));
        }

        const QString user = context.settings.smtpUser();
        const QString prompt = forStore ? CommandLine::tr("Store password: ")
            : user.isEmpty()            ? CommandLine::tr("SMTP password: ")
                                        : CommandLine::tr("SMTP password for %1: ").arg(user);
        Result<QString> password = readPassword(prompt);
        if (!password) {
            err() << app << " config: " << password.error().what << '\n';
            return ExitUsage;
        }

        const CredentialStore store =
            forStore ? CredentialStore::forStore(context.folder) : CredentialStore(context.folder);
        if (Result<void> ok = store.store(*password, where); !ok) {
            err() << app << " config: "
                  << (forStore ? CommandLine::tr("cannot store the store password: %1")
                               : CommandLine::tr("cannot store the SMTP password: %1"))
                         .arg(ok.error().message())
                  << '\n';
            if (where == CredentialLocation::Keyring) {
                QString command = QStringLiteral("sluice");
                if (context.parser.isSet(QStringLiteral("data-dir")))
                    command += QStringLiteral(" --data-dir ") + context.folder.path();
                err() << CommandLine::tr(
                    "To keep it in the file %1 instead, readable only by you, run: %2")
                             .arg(store.filePath(),
                                 command + QStringLiteral(" config set-password ")
                                     + (forStore ? QStringLiteral("store ") : QString())
                                     + QStringLiteral("--store file"))
                      << '\n';
            }
            return ExitFailure;
        }
        out() << (forStore ? CommandLine::tr("store password stored in %1")
                           : CommandLine::tr("SMTP password stored in %1"))
                     .arg(store.describe(where))
              << '\n';
        return ExitSuccess;
    }

} // namespace

int runConfig(Context &context)
{
    const QStringList &args = context.arguments;
    Settings &settings = context.settings;
    const QString action = args.value(0);

    if (action.isEmpty())
        return usage(CommandLine::tr("a subcommand is needed"));

    if (action == u"list") {
        if (args.size() != 1)
            return usage(CommandLine::tr("\"list\" takes no arguments"));
        printSettingsWarnings(settings);
        for (const SettingSpec &spec : Settings::specs()) {
            out() << spec.key << " = " << settings.displayText(spec.key);
            if (settings.source(spec.key) != Settings::Source::Default)
                out() << "    # " << settings.sourceText(spec.key);
            out() << '\n';
        }
        return ExitSuccess;
    }

    if (action == u"get") {
        if (args.size() != 2)
            return usage(CommandLine::tr("\"get\" takes one KEY"));
        if (!Settings::spec(args.at(1)))
            return refused(Settings::parse(args.at(1), QString()).error());
        printSettingsWarnings(settings);
        out() << settings.displayText(args.at(1)) << '\n';
        return ExitSuccess;
    }

    if (action == u"set") {
        if (args.size() != 3)
            return usage(
                CommandLine::tr("\"set\" takes a KEY and one VALUE (quote a value with spaces)"));
        const QString &key = args.at(1);
        if (!Settings::spec(key))
            return refused(Settings::parse(key, QString()).error());
        if (Result<QVariant> parsed = Settings::parse(key, args.at(2)); !parsed)
            return refused(parsed.error());
        if (Result<void> ok = settings.setText(key, args.at(2)); !ok) {
            err() << QCoreApplication::applicationName() << " config: " << ok.error().message()
                  << '\n';
            // A valid value that could not be written is a failure, not a usage error.
            return ok.error().where == settings.filePath() ? ExitFailure : ExitUsage;
        }
        if (settings.source(key) != Settings::Source::File) {
            err() << QCoreApplication::applicationName() << ": "
                  << CommandLine::tr("note: %1 is overridden here by the %2")
                         .arg(key, settings.sourceText(key))
                  << '\n';
        }
        return ExitSuccess;
    }

    if (action == u"unset") {
        if (args.size() != 2)
            return usage(CommandLine::tr("\"unset\" takes one KEY"));
        if (Result<void> ok = settings.unset(args.at(1)); !ok) {
            err() << QCoreApplication::applicationName() << " config: " << ok.error().message()
                  << '\n';
            return ok.error().where == settings.filePath() ? ExitFailure : ExitUsage;
        }
        return ExitSuccess;
    }

    // The password goes to the keyring or the credentials file, never to settings.ini.
    if (action == u"set-password") {
        printSettingsWarnings(settings);
        return setPassword(context);
    }

    return usage(CommandLine::tr("unknown subcommand \"%1\"").arg(action));
}

} // namespace Sluice::Cli
