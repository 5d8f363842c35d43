#!/bin/bash
# Builds the .deb from this build tree (cpack, as `make package` does) into a temporary folder
# and checks its control fields and file list, then validates what it installs: the desktop
# entry, the AppStream metainfo, the systemd user unit and, where installed, lintian.
# usage: check_deb.sh BUILD_DIR VERSION     (exit 77: skipped, the reason printed)
set -u
build=$1
version=$2
for tool in dpkg-deb dpkg-shlibdeps file cpack; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack did not build the package"; }
arch=$(dpkg --print-architecture)
deb="$work/sluice_${version}_${arch}.deb"
[ -f "$deb" ] || fail "no $deb; cpack wrote: $(ls "$work")"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = sluice ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', the project's is $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
# Loaded at run time, not linked: listed by hand. Linked: found by dpkg-shlibdeps.
for package in libqt6sql6-sqlite libqt6sql6-psql qt6-translations-l10n libqt6svg6 \
    libqt6core6 libqt6widgets6 libcurl4 libsqlite3-0 libyaml-0-2; do
    grep -Eq "(^|, )$package( |,|$)" <<<"$depends" || fail "Depends lacks $package: $depends"
done

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's#^\./#/#' >"$work/files"
for path in /usr/bin/sluice /usr/share/applications/org.sluice.Sluice.desktop \
    /usr/share/metainfo/org.sluice.Sluice.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/org.sluice.Sluice.svg \
    /usr/share/man/man1/sluice.1.gz /usr/share/bash-completion/completions/sluice \
    /usr/lib/systemd/user/sluice.service /usr/share/doc/sluice/copyright \
    /usr/share/doc/sluice/changelog.gz; do
    grep -qx "$path" "$work/files" || fail "the package lacks $path"
done
# Nothing outside /usr, nothing from the build or the tests.
if grep -v '^/usr/' "$work/files" | grep -qv '^/$'; then
    fail "files outside /usr: $(grep -v '^/usr/' "$work/files" | tr '\n' ' ')"
fi
grep -E 'tst_|bench|fuzz|\.a$|\.h$' "$work/files" && fail "build or test files are packed"

root="$work/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/sluice" --version | grep -q "$version" || fail "the packed binary does not say $version"
zcat "$root/usr/share/man/man1/sluice.1.gz" | grep -q "^.TH SLUICE 1" || fail "the manual is not a man(7) page"

checked="control fields, file list"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$root/usr/share/applications/org.sluice.Sluice.desktop" ||
        fail "desktop-file-validate"
    checked="$checked, desktop-file-validate"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net --explain "$root/usr/share/metainfo/org.sluice.Sluice.metainfo.xml" ||
        fail "appstreamcli validate"
    checked="$checked, appstreamcli"
fi
if command -v systemd-analyze >/dev/null; then
    # Verify the unit as installed, its ExecStart pointed at the extracted binary.
    # systemd resolves "sluice" in its fixed search path (/usr/local/bin, /usr/bin, ...).
    unit="$root/usr/lib/systemd/user/sluice.service"
    grep -qx "ExecStart=sluice serve" "$unit" || fail "ExecStart is not 'sluice serve'"
    sed "s#^ExecStart=sluice #ExecStart=$root/usr/bin/sluice #" "$unit" >"$work/sluice.service"
    systemd-analyze verify --man=no "$work/sluice.service" || fail "systemd-analyze verify"
    checked="$checked, systemd-analyze"
fi
if command -v lintian >/dev/null; then
    report=$(lintian --fail-on error "$deb" 2>&1)
    status=$?
    grep -v 'running with root privileges' <<<"$report"
    [ $status -eq 0 ] || fail "lintian found errors"
    checked="$checked, lintian"
fi
echo "$(basename "$deb"): $checked ok"
