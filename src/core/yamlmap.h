/*
 * yamlmap.h — reading libyaml documents: a node's scalar text and the value
 * under a key of a mapping, as the SCA policy, atomic and drill scenario
 * loaders read them.
 */
#ifndef RS_YAMLMAP_H
#define RS_YAMLMAP_H

#include <yaml.h>

/* The text of N when it is a scalar, else NULL (N may be NULL). */
const char *rs_yaml_scalar(const yaml_node_t *n);
/* The value under the scalar key KEY in the mapping M of DOC, or NULL (also
 * when M is NULL or not a mapping). The first such key wins. */
yaml_node_t *rs_yaml_get(yaml_document_t *doc, const yaml_node_t *m, const char *key);

#endif
