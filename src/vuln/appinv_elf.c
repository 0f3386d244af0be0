/*
 * appinv_elf.c — finding a named section in an ELF file (32 or 64 bit,
 * either byte order) by reading its section headers with bounds checks, and
 * reading the sections that declare libraries: Go's .go.buildinfo and
 * cargo-auditable's .dep-v0. Nothing is mapped or executed.
 */
#include "core/i18n.h"
#include "vuln/appinv_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Section headers and the section name table are at most this large. */
#define ELF_MAX_SHNUM 65535u
#define ELF_MAX_SHSTRTAB (4u * 1024 * 1024)
/* The declaring sections are read whole up to these sizes. */
#define ELF_MAX_BUILDINFO (16u * 1024 * 1024)
#define ELF_MAX_DEP_V0 (8u * 1024 * 1024)

static int read_at(const rs_app_elf *f, uint64_t off, void *buf, size_t n)
{
	if (off > f->size || n > f->size - off)
		return -1;
	if (f->fd < 0) {
		memcpy(buf, f->data + off, n);
		return 0;
	}
	size_t done = 0;
	while (done < n) {
		ssize_t r = pread(f->fd, (char *)buf + done, n - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

int rs_app_elf_read(const rs_app_elf *f, uint64_t offset, uint64_t size, unsigned char **out)
{
	*out = NULL;
	if (offset > f->size || size > f->size - offset || size > SIZE_MAX - 1)
		return -1;
	unsigned char *b = rs_malloc((size_t)size + 1);
	if (read_at(f, offset, b, (size_t)size) < 0) {
		free(b);
		return -1;
	}
	b[size] = '\0';
	*out = b;
	return 0;
}

typedef struct elf_info {
	bool is64, big;
	uint64_t shoff;
	unsigned shentsize, shnum, shstrndx;
} elf_info;

static uint64_t get(const unsigned char *p, unsigned n, bool big)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

/* A section header's name offset, type, file offset and size. */
typedef struct elf_shdr {
	uint32_t name, type;
	uint64_t addr, offset, size;
} elf_shdr;

static int read_shdr(const rs_app_elf *f, const elf_info *e, unsigned index, elf_shdr *s)
{
	unsigned char b[64];
	if (read_at(f, e->shoff + (uint64_t)index * e->shentsize, b, e->shentsize) < 0)
		return -1;
	s->name = (uint32_t)get(b, 4, e->big);
	s->type = (uint32_t)get(b + 4, 4, e->big);
	if (e->is64) {
		s->addr = get(b + 16, 8, e->big);
		s->offset = get(b + 24, 8, e->big);
		s->size = get(b + 32, 8, e->big);
	} else {
		s->addr = get(b + 12, 4, e->big);
		s->offset = get(b + 16, 4, e->big);
		s->size = get(b + 20, 4, e->big);
	}
	return 0;
}

static int elf_header(const rs_app_elf *f, elf_info *e)
{
	unsigned char h[64];
	if (f->size < 52 || read_at(f, 0, h, f->size < 64 ? 52 : 64) < 0)
		return -1;
	if (memcmp(h, "\x7f" "ELF", 4) != 0 || (h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2))
		return -1;
	e->is64 = h[4] == 2;
	e->big = h[5] == 2;
	if (e->is64) {
		if (f->size < 64)
			return -1;
		e->shoff = get(h + 40, 8, e->big);
		e->shentsize = (unsigned)get(h + 58, 2, e->big);
		e->shnum = (unsigned)get(h + 60, 2, e->big);
		e->shstrndx = (unsigned)get(h + 62, 2, e->big);
	} else {
		e->shoff = get(h + 32, 4, e->big);
		e->shentsize = (unsigned)get(h + 46, 2, e->big);
		e->shnum = (unsigned)get(h + 48, 2, e->big);
		e->shstrndx = (unsigned)get(h + 50, 2, e->big);
	}
	if (e->shentsize != (e->is64 ? 64u : 40u) || e->shoff == 0 || e->shoff >= f->size)
		return -1;
	if (e->shnum == 0 || e->shstrndx == 0xffff) {
		/* more sections than the header holds: the counts are in section 0 */
		elf_shdr s0;
		uint32_t link;
		unsigned char b[64];
		if (read_at(f, e->shoff, b, e->shentsize) < 0)
			return -1;
		read_shdr(f, e, 0, &s0);
		link = (uint32_t)get(b + (e->is64 ? 40 : 24), 4, e->big);
		if (e->shnum == 0)
			e->shnum = s0.size > ELF_MAX_SHNUM ? ELF_MAX_SHNUM : (unsigned)s0.size;
		if (e->shstrndx == 0xffff)
			e->shstrndx = link;
	}
	if (e->shnum > ELF_MAX_SHNUM || e->shstrndx >= e->shnum)
		return -1;
	return 0;
}

int rs_app_elf_section(const rs_app_elf *f, const char *name, uint64_t *offset, uint64_t *size)
{
	elf_info e;
	if (elf_header(f, &e) < 0)
		return 0;
	elf_shdr strtab;
	if (read_shdr(f, &e, e.shstrndx, &strtab) < 0 || strtab.size == 0 || strtab.size > ELF_MAX_SHSTRTAB)
		return 0;
	unsigned char *names;
	if (rs_app_elf_read(f, strtab.offset, strtab.size, &names) < 0)
		return 0;
	int found = 0;
	for (unsigned i = 1; i < e.shnum && !found; i++) {
		elf_shdr s;
		if (read_shdr(f, &e, i, &s) < 0)
			break;
		if (s.name >= strtab.size || s.type == 8 /* SHT_NOBITS */)
			continue;
		if (strcmp((const char *)names + s.name, name) == 0 && s.offset <= f->size &&
		    s.size <= f->size - s.offset) {
			*offset = s.offset;
			*size = s.size;
			found = 1;
		}
	}
	free(names);
	return found;
}

int rs_app_elf_read_vaddr(const rs_app_elf *f, uint64_t addr, uint64_t size, unsigned char **out)
{
	*out = NULL;
	elf_info e;
	if (elf_header(f, &e) < 0)
		return -1;
	for (unsigned i = 1; i < e.shnum; i++) {
		elf_shdr s;
		if (read_shdr(f, &e, i, &s) < 0)
			return -1;
		if (s.type == 8 /* SHT_NOBITS */ || s.addr == 0 || addr < s.addr || addr - s.addr > s.size ||
		    size > s.size - (addr - s.addr))
			continue;
		return rs_app_elf_read(f, s.offset + (addr - s.addr), size, out);
	}
	return -1;
}

/* Go before 1.18: the build info header holds the addresses of two Go
 * strings (pointer, length), the version and the module information. */
static int go_pointer_strings(const rs_app_elf *f, const unsigned char *bi, size_t len, const char *source,
			      const char *application, rs_app_inventory *inv)
{
	unsigned ptr = bi[14];
	bool big = bi[15] & 1;
	if ((ptr != 4 && ptr != 8) || len < 16 + 2 * (size_t)ptr)
		return rs_app_problem(inv, source, _("the .go.buildinfo section has a pointer size of %u"), ptr);
	unsigned char *text[2] = { NULL, NULL };
	uint64_t lens[2] = { 0, 0 };
	int rc = 0;
	for (int i = 0; i < 2 && rc == 0; i++) {
		uint64_t header = get(bi + 16 + (size_t)i * ptr, ptr, big);
		unsigned char *h = NULL;
		if (rs_app_elf_read_vaddr(f, header, 2 * (uint64_t)ptr, &h) < 0) {
			rc = -1;
			break;
		}
		uint64_t data = get(h, ptr, big);
		lens[i] = get(h + ptr, ptr, big);
		free(h);
		if (lens[i] > ELF_MAX_BUILDINFO ||
		    (lens[i] > 0 && rs_app_elf_read_vaddr(f, data, lens[i], &text[i]) < 0))
			rc = -1;
	}
	if (rc < 0)
		rc = rs_app_problem(inv, source, _("the Go build info points outside the binary's sections"));
	else
		rc = rs_app_read_go_strings(text[0] ? (const char *)text[0] : "", (size_t)lens[0],
					    text[1] ? (const char *)text[1] : "", (size_t)lens[1], source, application, inv);
	free(text[0]);
	free(text[1]);
	return rc;
}

/* Reads section NAME (at most MAX bytes) into *DATA; 1 when read, 0 when absent, -1 when too large. */
static int read_section(const rs_app_elf *f, const char *name, uint64_t max, unsigned char **data,
			uint64_t *size)
{
	uint64_t off;
	if (!rs_app_elf_section(f, name, &off, size))
		return 0;
	if (*size > max)
		return -1;
	return rs_app_elf_read(f, off, *size, data) < 0 ? -1 : 1;
}

int rs_app_read_elf(const rs_app_elf *f, const char *source, const char *application, rs_app_inventory *inv)
{
	int read = 0, rc = 0;
	unsigned char *data = NULL;
	uint64_t size = 0;
	int got = read_section(f, ".go.buildinfo", ELF_MAX_BUILDINFO, &data, &size);
	if (got < 0) {
		rc = rs_app_problem(inv, source, _("the .go.buildinfo section is larger than %u bytes or out of the file"),
				    ELF_MAX_BUILDINFO);
	} else if (got > 0) {
		bool pointers = size >= 32 && !memcmp(data, "\xff Go buildinf:", 14) && !(data[15] & 2);
		int r = pointers ? go_pointer_strings(f, data, (size_t)size, source, application, inv)
				 : rs_app_read_go_buildinfo(data, (size_t)size, source, application, inv);
		if (r == 0)
			read++;
		else
			rc = -1;
	}
	free(data);
	data = NULL;
	got = read_section(f, ".dep-v0", ELF_MAX_DEP_V0, &data, &size);
	if (got < 0)
		rc = rs_app_problem(inv, source, _("the .dep-v0 section is larger than %u bytes or out of the file"),
				    ELF_MAX_DEP_V0);
	else if (got > 0 && rs_app_read_cargo_auditable(data, (size_t)size, source, application, inv) == 0)
		read++;
	else if (got > 0)
		rc = -1;
	free(data);
	return rc < 0 ? -1 : read;
}
