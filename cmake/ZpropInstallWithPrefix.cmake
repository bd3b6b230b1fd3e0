# zprop: run by `cmake --install` (ZpropInstall.cmake): installs
# ${zp_template} into ${zp_destination} with @ZP_INSTALL_PREFIX@ replaced by
# the prefix of this install.
file(READ "${zp_template}" zp_text)
string(REPLACE "@ZP_INSTALL_PREFIX@" "${CMAKE_INSTALL_PREFIX}" zp_text "${zp_text}")
get_filename_component(zp_name "${zp_template}" NAME)
get_filename_component(zp_stage "${zp_template}/../../installed/${zp_name}" ABSOLUTE)
file(WRITE "${zp_stage}" "${zp_text}")
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/${zp_destination}" TYPE FILE FILES "${zp_stage}")
