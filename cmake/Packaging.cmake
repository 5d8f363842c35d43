# What `cmake --install` puts on a system and how `cpack -G DEB` (make package) packs it.
# Installed: the binary, the desktop entry, the AppStream metainfo, the icon, the manual page,
# bash completion, the systemd user unit for `sluice serve`, and Debian's copyright and
# changelog. The compiled translations are embedded in the binary (:/i18n), so nothing else is.

set(SLUICE_MAINTAINER_EMAIL "sluice@example.invalid"
    CACHE STRING "The maintainer address written into the package")

set(generated "${PROJECT_BINARY_DIR}/packaging")
configure_file(resources/org.sluice.Sluice.metainfo.xml.in
    "${generated}/org.sluice.Sluice.metainfo.xml" @ONLY)
configure_file(resources/sluice.1 "${generated}/sluice.1" @ONLY)
configure_file(resources/debian/changelog.in "${generated}/changelog" @ONLY)

# Debian wants the manual and the changelog compressed, reproducibly (-n: no name, no time).
# configure_file makes their sources configure dependencies, so this reruns when they change.
foreach(name sluice.1 changelog)
    execute_process(COMMAND gzip -9nc "${generated}/${name}"
        OUTPUT_FILE "${generated}/${name}.gz"
        RESULT_VARIABLE gzipResult)
    if(NOT gzipResult EQUAL 0)
        message(FATAL_ERROR "gzip could not compress ${generated}/${name}")
    endif()
endforeach()

install(FILES resources/org.sluice.Sluice.desktop
    DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES "${generated}/org.sluice.Sluice.metainfo.xml"
    DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES resources/icons/sluice.svg
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
    RENAME org.sluice.Sluice.svg)
install(FILES "${generated}/sluice.1.gz" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES resources/completion/sluice.bash
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
    RENAME sluice)
# systemd looks for user units in <prefix>/lib/systemd/user, not in the multiarch libdir.
install(FILES resources/systemd/sluice.service DESTINATION lib/systemd/user)
install(FILES resources/debian/copyright "${generated}/changelog.gz"
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/sluice)

# make package: one .deb. Its Depends are what dpkg-shlibdeps finds in the binary, plus what
# Qt loads at run time rather than links: the SQLite and PostgreSQL drivers, the SVG icon
# plugins, Qt's own translations and the secret-service library QtKeychain opens.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sluice)
set(CPACK_PACKAGE_VENDOR "The Sluice developers")
set(CPACK_PACKAGE_CONTACT "Sluice developers <${SLUICE_MAINTAINER_EMAIL}>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "run, schedule and watch local ETL jobs")
set(CPACK_PACKAGE_DESCRIPTION
    "Sluice is a desktop application for operating local ETL jobs: run a flow\n\
with one click, watch every task live, edit schedules, browse the SQLite\n\
data and export CSV. Flows are YAML files checked as they are typed; the\n\
same binary runs the scheduler without a window (sluice serve), also as a\n\
systemd user service.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6sql6-sqlite, libqt6sql6-psql, libqt6svg6, qt6-translations-l10n, libsecret-1-0")
# man-db: `man sluice`, and the unit's Documentation=man:sluice(1) that systemd-analyze verify checks.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins, gnome-keyring, bash-completion, man-db")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# The package is made from a finished build (make package builds first): cpack does not
# rebuild every target, the tests included, before packing.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
