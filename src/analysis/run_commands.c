/* zprop: `zprop spectrum` and `zprop fit` on a parameter set, and the
 * structure sizes a binding checks its mirrors against (zprop/run.h).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "analysis/fit_setup.h"
#include "config/params.h"
#include "zprop/run.h"
#include "zprop/scan.h"

zp_status zp_params_spectrum(zp_context *ctx, zp_params *p, zp_spectrum **out, zp_error *err) {
  *out = NULL;
  zp_config cfg;
  zp_status st = zp_params_config(p, &cfg, err);
  if (st != ZP_OK) return st;
  return ctx != NULL ? zp_spectrum_compute_ctx(ctx, &cfg, out, err)
                     : zp_spectrum_compute(&cfg, out, err);
}

zp_status zp_params_fit(zp_context *ctx, zp_params *p, int want_spectrum, zp_fit_result *result,
                        zp_error *err) {
  memset(result, 0, sizeof *result);
  if (p == NULL || p->mode != &zp_mode_fit)
    return zp_error_set(err, ZP_EINVAL, "a fit needs the parameters of `zprop fit`");
  zp_fit_setup s;
  memset(&s, 0, sizeof s);
  zp_status st = zp_fit_apply_preset(p, err);
  if (st == ZP_OK) st = zp_params_check(p, err);
  if (st == ZP_OK) st = zp_fit_setup_build(p, &s, err);
  if (st == ZP_OK)
    st = ctx != NULL ? zp_fit_ctx(ctx, &p->cfg, &s.opts, want_spectrum, result, err)
                     : zp_fit(&p->cfg, &s.opts, want_spectrum, result, err);
  zp_fit_setup_free(&s);
  return st;
}

size_t zp_abi_sizeof(const char *type) {
#define ZP_ABI_ROW_(t) {#t, sizeof(t)},
  static const struct {
    const char *name;
    size_t size;
  } rows[] = {ZP_ABI_ROW_(zp_spectrum) ZP_ABI_ROW_(zp_batch_result) ZP_ABI_ROW_(zp_fit_result)
                  ZP_ABI_ROW_(zp_scan_point) ZP_ABI_ROW_(zp_scan_spec)
                      ZP_ABI_ROW_(zp_scan_reference) ZP_ABI_ROW_(zp_gm2_result)
                          ZP_ABI_ROW_(zp_param_info) ZP_ABI_ROW_(zp_error) ZP_ABI_ROW_(zp_dataset)
                              ZP_ABI_ROW_(zp_data_bin) ZP_ABI_ROW_(zp_context_opts)};
#undef ZP_ABI_ROW_
  for (size_t i = 0; type != NULL && i < sizeof rows / sizeof rows[0]; i++)
    if (strcmp(rows[i].name, type) == 0) return rows[i].size;
  return 0;
}
