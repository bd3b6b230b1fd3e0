/* SPDX-License-Identifier: MIT */
/** @file
 *  @brief Marks the functions that libzprop.so exports.
 *
 *  The library is compiled with hidden default visibility, so only the
 *  functions declared with ZP_API in include/zprop/ are visible to programs
 *  linking libzprop.so; the internal ones stay private to the library. */
#ifndef ZPROP_EXPORT_H
#define ZPROP_EXPORT_H

/** @brief Declares a function of the public API (exported from libzprop.so). */
#if defined(__GNUC__) || defined(__clang__)
#define ZP_API __attribute__((visibility("default")))
#else
#define ZP_API
#endif

#endif
