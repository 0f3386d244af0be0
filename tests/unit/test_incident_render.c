/*
 * test_incident_render.c — the VNCERT forms and the exports over fixture
 * records (tests/fixtures/incident: a full record in Vietnamese, a minimal
 * one with every value unknown, and one full of hostile strings): fields in
 * form order, checkboxes from the record, blanks instead of inventions,
 * escaping in HTML and in mail headers, deterministic ids, refusals.
 */
#include "testutil.h"

#include "incident/render.h"
#include "incident/render_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW ((time_t)1796000000) /* 2026-11-30 */

static json_t *fixture(const char *name)
{
	const char *dir = getenv("RS_FIXTURES");
	char path[1024];
	json_error_t jerr;
	json_t *v;

	snprintf(path, sizeof(path), "%s/incident/%s", dir != NULL ? dir : "tests/fixtures", name);
	v = json_load_file(path, 0, &jerr);
	if (v == NULL)
		fail_msg("%s: %s", path, jerr.text);
	return v;
}

static char *render(const json_t *rec, rs_incident_form form, const char *lang, const char *fmt)
{
	rs_buf out;
	char err[512] = "";
	rs_buf_init(&out);
	if (rs_incident_render(rec, form, lang, fmt, NOW, 0, 0, &out, err, sizeof(err)) != 0)
		fail_msg("render %d %s %s: %s", form, lang, fmt, err);
	return rs_buf_take(&out);
}

static char *export(const json_t *rec, const char *fmt)
{
	rs_buf out;
	char err[512] = "";
	rs_buf_init(&out);
	if (rs_incident_export(rec, fmt, NOW, &out, err, sizeof(err)) != 0)
		fail_msg("export %s: %s", fmt, err);
	return rs_buf_take(&out);
}

/* Every string of NEEDLES appears in HAY, in that order. */
static void assert_in_order(const char *hay, const char *const *needles, size_t n)
{
	const char *p = hay;
	for (size_t i = 0; i < n; i++) {
		const char *q = strstr(p, needles[i]);
		if (q == NULL)
			fail_msg("\"%s\" missing or out of order", needles[i]);
		p = q + strlen(needles[i]);
	}
}

static void test_initial_vi_fields_in_order(void **state)
{
	(void)state;
	json_t *rec = fixture("full.json");
	char *md = render(rec, RS_FORM_INITIAL, "vi", "md");
	const char *order[] = {
		"Mẫu số 03", "Ban hành kèm theo Thông tư số 20/2017/TT-BTTT ngày 12/9/2017",
		"BÁO CÁO BAN ĐẦU SỰ CỐ MẠNG", "2026-12-07T01:30:00Z",
		"1. Tên tổ chức/cá nhân báo cáo sự cố (*)", "Công ty Cổ phần ABC",
		"4. Email (*)", "soc@abc.example.vn", "NGƯỜI LIÊN HỆ", "5. Họ và tên (*)", "Nguyễn Văn An",
		"12. Phân loại cấp độ", "☐ Cấp độ 2", "☒ Cấp độ 3", "☐ Cấp độ 4",
		"15. Điền tên nhà cung cấp ở đây", "……(cần điền)……",
		"17. Ngày phát hiện sự cố (*) (dd/mm/yy)", "02/12/26",
		"18. Thời gian phát hiện (*): …… giờ.... phút", "08 giờ 30 phút",
		"19. HIỆN TRẠNG SỰ CỐ (*)", "☒ Đã được xử lý", "☐ Chưa được xử lý",
		"20. CÁCH THỨC PHÁT HIỆN *", "☒ Qua hệ thống phát hiện xâm nhập",
		"☐ Kiểm tra dữ liệu lưu lại (Log File)", "☒ Nhận được thông báo từ: VNCERT/CC",
		"☒ Khác, đó là rasoat scan", "21. ĐÃ GỬI THÔNG BÁO SỰ CỐ CHO *", "☐ Thành viên mạng lưới",
		"☐ ISP đang trực tiếp cung cấp dịch vụ", "☒ Cơ quan điều phối",
		"23. Các dịch vụ", "☒ Web server", "☐ Mail server", "☒ Database server", "☒ Dịch vụ khác, đó là ssh",
		"24. Các biện pháp", "☐ Antivirus", "☒ Firewall", "☒ Hệ thống phát hiện xâm nhập", "☒ Khác: auditd",
		"25. Các địa chỉ IP", "203.0.113.10", "28. Thông tin gửi kèm", "☐ Khác: ……(cần điền)……",
		"29. Các thông tin", "☒ Có", "☐ Không",
		"31. THỜI GIAN THỰC HIỆN BÁO CÁO SỰ CỐ *", "CÁ NHÂN/NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT",
		"Phần (*) là những thông tin bắt buộc.", "bắt đầu bằng \"[TBSC]\"",
	};
	assert_in_order(md, order, sizeof(order) / sizeof(order[0]));
	assert_null(strstr(md, "[sic]"));
	free(md);
	json_decref(rec);
}

static void test_minimal_blanks_never_invented(void **state)
{
	(void)state;
	json_t *rec = fixture("minimal.json");
	char *js = render(rec, RS_FORM_INITIAL, "en", "json");
	json_t *doc = json_loads(js, 0, NULL);
	size_t i, n = 0, blanks = 0;
	json_t *it;

	assert_non_null(doc);
	assert_true(json_is_true(json_object_get(doc, "exercise")));
	json_array_foreach(json_object_get(doc, "items"), i, it) {
		json_t *c;
		size_t j;
		if (json_object_get(it, "n") == NULL)
			continue;
		n++;
		assert_int_equal(json_integer_value(json_object_get(it, "n")), (json_int_t)n);
		if (json_is_true(json_object_get(it, "blank")))
			blanks++;
		/* nothing known: no checkbox may be checked */
		json_array_foreach(json_object_get(it, "choices"), j, c)
			assert_false(json_is_true(json_object_get(c, "checked")));
	}
	assert_int_equal(n, 31);
	assert_int_equal(blanks, 31 - 8 /* checkbox-only items 12,19-21,23,24,28,29 */ - 1 /* report time */);
	json_decref(doc);
	free(js);
	js = render(rec, RS_FORM_FINAL, "vi", "md");
	assert_non_null(strstr(js, "chưa tính: ứng phó sự cố chưa kết thúc"));
	free(js);
	json_decref(rec);
}

static void test_final_and_notify(void **state)
{
	(void)state;
	json_t *rec = fixture("full.json");
	char *md = render(rec, RS_FORM_FINAL, "vi", "md");
	const char *order[] = {
		"Mẫu số 04", "BÁO CÁO KẾT THÚC ỨNG PHÓ SỰ CỐ", "2026-12-09T08:00:00Z",
		"1. Tên tổ chức/cá nhân báo cáo sự cố (*)", "5. KÝ HIỆU BÁO CÁO BAN ĐẦU SỰ CỐ", "03/2026/ABC",
		"02/12/2026", "6. Tên đơn vị vận hành", "9. Phân loại cấp độ của hệ thống thông tin, (nếu có)",
		"☒ Cấp độ 3", "11. Ngày phát hiện", "12. Thời gian phát hiện (*): …….. giờ.... phút",
		"13. Kết quả xử lý sự cố", "Phòng ngừa tái diễn: Vá lỗ hổng", "14. Các tài liệu đính kèm",
		"INC-2026-0001.tar.gz", "a-5b1e0001",
	};
	assert_in_order(md, order, sizeof(order) / sizeof(order[0]));
	free(md);
	md = render(rec, RS_FORM_NOTIFY, "en", "md");
	const char *order2[] = {"CYBER INCIDENT NOTIFICATION", "Notification due", "1. Name of the organisation",
				"3. Name or domain name", "portal.example.vn", "7. Date the incident was detected",
				"9. Proposed handling result (*)", "10. Requests"};
	assert_in_order(md, order2, sizeof(order2) / sizeof(order2[0]));
	free(md);
	json_decref(rec);
}

static void test_summary_counts(void **state)
{
	(void)state;
	json_t *arr = json_array();
	json_t *a = fixture("full.json"), *b = fixture("full.json"), *c = fixture("minimal.json");
	json_object_set_new(b, "category", json_string("dos"));
	json_object_set_new(b, "handled_by", json_string("vncert"));
	json_array_append_new(arr, a);
	json_array_append_new(arr, b);
	json_array_append_new(arr, c); /* an exercise: not counted */
	char *js = render(arr, RS_FORM_SUMMARY, "vi", "json");
	json_t *doc = json_loads(js, 0, NULL), *it, *rows = NULL;
	size_t i;
	json_array_foreach(json_object_get(doc, "items"), i, it)
		if (json_object_get(it, "rows") != NULL)
			rows = json_object_get(it, "rows");
	assert_non_null(rows);
	assert_int_equal(json_array_size(rows), 12);
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 0), 5)),
			    "Số sự cố đề nghị VNCERT hỗ trợ lý");
	/* row 1 dos: 1 total, 1 vncert; row 3 malware: 1 total, 1 self; total 2 */
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 1), 1)), "1");
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 1), 5)), "1");
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 3), 2)), "1");
	assert_string_equal(json_string_value(json_array_get(json_array_get(rows, 11), 1)), "2");
	assert_non_null(strstr(js, "Không tính các sự cố diễn tập:"));
	json_decref(doc);
	free(js);
	json_decref(arr);
}

static void test_hostile_html_and_mail(void **state)
{
	(void)state;
	json_t *rec = fixture("hostile.json");
	for (int f = RS_FORM_NOTIFY; f <= RS_FORM_FINAL; f++) {
		char *html = render(rec, (rs_incident_form)f, "vi", "html");
		assert_null(strstr(html, "<script>"));
		assert_null(strstr(html, "<img"));
		assert_null(strstr(html, "<iframe"));
		assert_non_null(strstr(html, "&lt;script&gt;"));
		free(html);
		char *md = render(rec, (rs_incident_form)f, "en", "md");
		assert_null(strstr(md, "<script>"));
		free(md);
	}
	char *eml = render(rec, RS_FORM_INITIAL, "vi", "eml");
	/* the header block: no injected header, every line CRLF-terminated */
	char *end = strstr(eml, "\r\n\r\n");
	assert_non_null(end);
	*end = '\0';
	assert_null(strstr(eml, "\nBcc:"));
	assert_null(strstr(eml, "\nX-Injected"));
	assert_non_null(strstr(eml, "Subject: [TBSC] =?UTF-8?B?"));
	assert_non_null(strstr(eml, "To: <ir@vncert.vn>"));
	for (char *p = eml; (p = strchr(p, '\n')) != NULL; p++)
		assert_int_equal(p[-1], '\r');
	free(eml);
	json_decref(rec);
}

static void test_exports_deterministic(void **state)
{
	(void)state;
	json_t *rec = fixture("full.json");
	char *a = export(rec, "stix"), *b = export(rec, "stix");
	assert_string_equal(a, b);
	/* an SCO id known from the spec's algorithm (computed with Python's uuid.uuid5) */
	assert_non_null(strstr(a, "\"ipv4-addr--"));
	assert_non_null(strstr(a, "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']"));
	assert_non_null(strstr(a, "[file:name = 'it\\\\'s \\\\\\\\ odd']"));
	assert_non_null(strstr(a, "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"));
	free(a);
	free(b);
	a = export(rec, "misp");
	assert_non_null(strstr(a, "\"tlp:amber\""));
	free(a);
	a = export(rec, "thehive");
	assert_non_null(strstr(a, "\"sourceRef\": \"INC-2026-0001\""));
	free(a);
	json_decref(rec);
}

static void test_uuid5_known_value(void **state)
{
	(void)state;
	char out[37];
	/* RFC 4122 example: uuid5(NAMESPACE_DNS, "python.org") */
	assert_int_equal(rs_uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org", 10, out), 0);
	assert_string_equal(out, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	assert_int_equal(rs_uuid5("not-a-uuid", "x", 1, out), -1);
}

static void test_refusals(void **state)
{
	(void)state;
	json_t *rec = fixture("full.json");
	rs_buf out;
	char err[512];
	rs_buf_init(&out);
	assert_int_equal(rs_incident_render(rec, RS_FORM_INITIAL, "fr", "md", NOW, 0, 0, &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--lang vi"));
	assert_int_equal(rs_incident_render(rec, RS_FORM_INITIAL, "vi", "pdf", NOW, 0, 0, &out, err, sizeof(err)), -1);
	assert_int_equal(rs_incident_render(rec, RS_FORM_SUMMARY, "vi", "md", NOW, 0, 0, &out, err, sizeof(err)), -1);
	assert_int_equal(rs_incident_export(rec, "openioc", NOW, &out, err, sizeof(err)), -1);
	json_object_set_new(json_object_get(rec, "reporter"), "report_to", json_string("a@b>\r\nBcc: x@y"));
	assert_int_equal(rs_incident_render(rec, RS_FORM_INITIAL, "vi", "eml", NOW, 0, 0, &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "report_to"));
	json_t *bad = json_loads("[1,2]", 0, NULL);
	assert_int_equal(rs_incident_export(bad, "stix", NOW, &out, err, sizeof(err)), -1);
	json_decref(bad);
	rs_buf_free(&out);
	json_decref(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial_vi_fields_in_order),
		cmocka_unit_test(test_minimal_blanks_never_invented),
		cmocka_unit_test(test_final_and_notify),
		cmocka_unit_test(test_summary_counts),
		cmocka_unit_test(test_hostile_html_and_mail),
		cmocka_unit_test(test_exports_deterministic),
		cmocka_unit_test(test_uuid5_known_value),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
