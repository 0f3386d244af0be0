/*
 * test_rootkit_modorigin.c — where a loaded kernel module comes from: a
 * module tree with packaged, hand-built and compressed module files, names
 * with '-' and '_', a module missing from the tree, no tree at all, and
 * hostile release strings.
 */
#include "testutil.h"
#include "collect/pkgfiles.h"
#include "core/host.h"
#include "rootkit/modorigin.h"

#include <stdlib.h>
#include <string.h>

static void test_origin(void **state)
{
	(void)state;
	char *dir = rs_test_tmpdir();
	rs_test_write(dir, "lib/modules/6.1.0-9-amd64/kernel/net/nf-conntrack.ko.xz", "x");
	rs_test_write(dir, "lib/modules/6.1.0-9-amd64/kernel/fs/ext4.ko", "x");
	rs_test_write(dir, "lib/modules/6.1.0-9-amd64/updates/dkms/rootkit_mod.ko", "x");
	rs_test_write(dir, "lib/modules/6.1.0-9-amd64/modules.dep", "kernel/fs/ext4.ko:\n");
	rs_test_write(dir, "lib/modules/6.1.0-9-amd64/kernel/fs/notes.ko.txt", "x");
	rs_host h;
	assert_int_equal(rs_host_init(&h, dir, ""), 0);
	rs_pkgfiles *pf = rs_pkgfiles_new();
	const char list[] = "/lib/modules/6.1.0-9-amd64/kernel/net/nf-conntrack.ko.xz\n"
			    "/lib/modules/6.1.0-9-amd64/kernel/fs/ext4.ko\n";
	rs_pkgfiles_parse_list(pf, list, sizeof(list) - 1, "linux-image-6.1.0-9-amd64", "test.list");

	rs_mod_tree *t = rs_mod_tree_load(&h, "6.1.0-9-amd64");
	assert_non_null(t);
	char path[512];
	assert_int_equal(rs_mod_origin_of(t, "nf_conntrack", pf, path, sizeof(path)), RS_MOD_PACKAGED);
	assert_string_equal(path, "/lib/modules/6.1.0-9-amd64/kernel/net/nf-conntrack.ko.xz");
	assert_int_equal(rs_mod_origin_of(t, "ext4", pf, path, sizeof(path)), RS_MOD_PACKAGED);
	assert_int_equal(rs_mod_origin_of(t, "rootkit-mod", pf, path, sizeof(path)), RS_MOD_UNPACKAGED);
	assert_int_equal(rs_mod_origin_of(t, "diamorphine", pf, path, sizeof(path)), RS_MOD_NOT_IN_TREE);
	assert_int_equal(rs_mod_origin_of(t, "notes", pf, path, sizeof(path)), RS_MOD_NOT_IN_TREE);
	/* without a package database a module in the tree is not judged */
	assert_int_equal(rs_mod_origin_of(t, "rootkit_mod", NULL, path, sizeof(path)), RS_MOD_PACKAGED);
	rs_mod_tree_free(t);

	assert_null(rs_mod_tree_load(&h, "5.10.0-other"));
	assert_null(rs_mod_tree_load(&h, "../../etc"));
	assert_null(rs_mod_tree_load(&h, ""));
	assert_null(rs_mod_tree_load(&h, NULL));
	assert_int_equal(rs_mod_origin_of(NULL, "ext4", pf, path, sizeof(path)), RS_MOD_NO_TREE);
	rs_pkgfiles_free(pf);
	rs_host_free(&h);
	rs_test_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
