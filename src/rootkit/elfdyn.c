/*
 * elfdyn.c — the ELF dynamic table reader (see elfdyn.h). It follows what
 * the dynamic loader uses: program headers, PT_DYNAMIC and the addresses
 * in it, translated to file offsets through the PT_LOAD segments. The
 * image is a set of extents: the whole buffer for rs_elf_dyn_parse, or,
 * for a file, only the pieces the parser asks for (the ELF header, the
 * program headers, PT_INTERP, PT_DYNAMIC and the tables it names), each
 * read once with pread. Every read goes through in() against the extents
 * loaded, and within() against the file's length.
 */
#include "rootkit/elfdyn.h"
#include "core/i18n.h"
#include "core/digest.h"
#include "core/host.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PHNUM_MAX 512
#define DYN_MAX 8192
#define NEEDED_MAX 512
#define NAME_MAX_LEN 4096
#define EXTENTS_MAX 96
#define HEAD_READ 64        /* the first read of a file: the ELF header */
#define CHAIN_CHUNK 16384   /* bytes of a DT_GNU_HASH chain read at a time */
#define DIGEST_CHUNK 65536

enum { PT_LOAD_ = 1, PT_DYNAMIC_ = 2, PT_INTERP_ = 3 };
enum { DT_NULL_ = 0, DT_NEEDED_ = 1, DT_HASH_ = 4, DT_STRTAB_ = 5, DT_SYMTAB_ = 6, DT_STRSZ_ = 10,
       DT_SYMENT_ = 11, DT_SONAME_ = 14 };
#define DT_GNU_HASH_ 0x6ffffef5ULL
#define DT_FLAGS_1_ 0x6ffffffbULL
#define DF_1_PIE_ 0x08000000ULL

/* Bytes [OFF, OFF+LEN) of the file, at P. */
typedef struct extent {
	uint64_t off, len;
	unsigned char *p;
} extent;

typedef struct image {
	int fd;              /* the file the extents are read from, or -1: ext[0] is the whole image */
	uint64_t len;        /* bytes of the file the parser may look at */
	uint64_t read;       /* bytes read from FD so far (at most RS_ELF_READ_MAX) */
	bool be, is64;
	extent ext[EXTENTS_MAX];
	size_t next;
	size_t hint;         /* the extent the last lookup found */
	struct {
		uint64_t vaddr, off, filesz;
	} loads[PHNUM_MAX];
	size_t nloads;
} image;

/* Whether [OFF, OFF+N) lies inside the file. */
static bool within(const image *im, uint64_t off, uint64_t n)
{
	return off <= im->len && n <= im->len - off;
}

/* The extent holding all of [OFF, OFF+N), or NULL. */
static const extent *holding(image *im, uint64_t off, uint64_t n)
{
	for (size_t k = 0; k < im->next; k++) {
		size_t i = (im->hint + k) % im->next;
		const extent *e = &im->ext[i];
		if (off >= e->off && off - e->off <= e->len && n <= e->len - (off - e->off)) {
			im->hint = i;
			return e;
		}
	}
	return NULL;
}

/* Whether [OFF, OFF+N) lies inside the file and has been read. */
static bool in(image *im, uint64_t off, uint64_t n)
{
	return within(im, off, n) && holding(im, off, n) != NULL;
}

/* Reads [OFF, OFF+N) of the file (inside it) unless it is already at
 * hand; false when the read fails or would pass the budget. */
static bool load(image *im, uint64_t off, uint64_t n)
{
	if (!within(im, off, n))
		return false;
	if (n == 0 || holding(im, off, n))
		return true;
	if (im->fd < 0 || im->next == EXTENTS_MAX || n > RS_ELF_READ_MAX - im->read)
		return false;
	unsigned char *p = rs_malloc(n ? (size_t)n : 1);
	uint64_t got = 0;
	while (got < n) {
		ssize_t r = pread(im->fd, p + got, (size_t)(n - got), (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (uint64_t)r;
	}
	im->read += got;
	if (got < n) { /* the file shrank under us */
		free(p);
		return false;
	}
	im->ext[im->next++] = (extent){ .off = off, .len = n, .p = p };
	return true;
}

/* Frees the extents read since there were KEEP of them. */
static void drop_since(image *im, size_t keep)
{
	if (im->fd < 0)
		return;
	while (im->next > keep)
		free(im->ext[--im->next].p);
	im->hint = 0;
}

/* The value of SIZE bytes at OFF, which in() has vouched for. */
static uint64_t get(image *im, uint64_t off, unsigned size)
{
	const extent *e = holding(im, off, size);
	if (!e)
		return 0;
	const unsigned char *p = e->p + (off - e->off);
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++) {
		unsigned shift = im->be ? 8 * (size - 1 - i) : 8 * i;
		v |= (uint64_t)p[i] << shift;
	}
	return v;
}

/* The file offset of the virtual address ADDR, with at least N bytes of
 * the same segment after it in the file; false when no PT_LOAD holds it. */
static bool offset_of(const image *im, uint64_t addr, uint64_t n, uint64_t *off)
{
	for (size_t i = 0; i < im->nloads; i++) {
		uint64_t v = im->loads[i].vaddr, sz = im->loads[i].filesz;
		if (addr >= v && addr - v < sz && n <= sz - (addr - v)) {
			*off = im->loads[i].off + (addr - v);
			return within(im, *off, n);
		}
	}
	return false;
}

/* A NUL-terminated string at OFF inside [OFF, LIMIT), or NULL. */
static char *string_at(image *im, uint64_t off, uint64_t limit)
{
	if (limit > im->len)
		limit = im->len;
	if (off >= limit)
		return NULL;
	const extent *best = NULL; /* the extent holding OFF that reaches furthest */
	for (size_t i = 0; i < im->next; i++) {
		const extent *e = &im->ext[i];
		if (off >= e->off && off - e->off < e->len && (!best || e->off + e->len > best->off + best->len))
			best = e;
	}
	if (!best)
		return NULL;
	if (limit > best->off + best->len)
		limit = best->off + best->len;
	const char *s = (const char *)best->p + (off - best->off);
	size_t max = (size_t)(limit - off) < NAME_MAX_LEN ? (size_t)(limit - off) : NAME_MAX_LEN;
	size_t n = strnlen(s, max);
	if (n == max || n == 0)
		return NULL;
	return rs_strndup(s, n);
}

static void fail(char *err, size_t errsize, const char *why)
{
	if (err && errsize)
		snprintf(err, errsize, "%s", why);
}

void rs_elf_dyn_init(rs_elf_dyn *d)
{
	memset(d, 0, sizeof(*d));
	rs_vec_init(&d->needed, sizeof(char *));
	rs_vec_init(&d->exports, sizeof(char *));
}

static void free_strings(rs_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(*(char **)rs_vec_at(v, i));
	rs_vec_free(v);
}

void rs_elf_dyn_free(rs_elf_dyn *d)
{
	free(d->soname);
	free(d->interp);
	free_strings(&d->needed);
	free_strings(&d->exports);
	rs_elf_dyn_init(d);
}

/* The number of symbols DT_HASH gives (its nchain), or 0. */
static uint64_t count_sysv(image *im, uint64_t addr)
{
	uint64_t off;
	if (!offset_of(im, addr, 8, &off) || !load(im, off, 8))
		return 0;
	return get(im, off + 4, 4);
}

/* The number of symbols DT_GNU_HASH covers: one past the last symbol of
 * the longest-reaching chain, or 0 when the table is unreadable. */
static uint64_t count_gnu(image *im, uint64_t addr)
{
	uint64_t off;
	if (!offset_of(im, addr, 16, &off) || !load(im, off, 16))
		return 0;
	uint64_t nbuckets = get(im, off, 4), symoffset = get(im, off + 4, 4), bloom = get(im, off + 8, 4);
	uint64_t word = im->is64 ? 8 : 4;
	uint64_t buckets = off + 16 + bloom * word;
	if (nbuckets == 0 || nbuckets > (1u << 24) || bloom > (1u << 24) || !load(im, buckets, nbuckets * 4))
		return 0;
	uint64_t last = 0;
	for (uint64_t i = 0; i < nbuckets; i++) {
		uint64_t b = get(im, buckets + 4 * i, 4);
		if (b > last)
			last = b;
	}
	if (last < symoffset)
		return symoffset;
	uint64_t chains = buckets + nbuckets * 4;
	for (uint64_t i = last; i - symoffset < RS_ELF_SYMBOLS_MAX; i++) {
		uint64_t at = chains + 4 * (i - symoffset);
		if (!in(im, at, 4)) { /* the next piece of the chain, whole entries up to the file's end */
			uint64_t n = within(im, at, 4) ? (im->len - at) / 4 * 4 : 0;
			if (n == 0 || !load(im, at, n < CHAIN_CHUNK ? n : CHAIN_CHUNK))
				return 0;
		}
		if (get(im, at, 4) & 1)
			return i + 1;
	}
	return RS_ELF_SYMBOLS_MAX;
}

/* The exported functions of the symbol table at SYMOFF (COUNT entries of
 * SYMENT bytes), names in [STROFF, STROFF+STRSZ). */
static void read_symbols(image *im, rs_elf_dyn *d, uint64_t symoff, uint64_t count, uint64_t syment,
			 uint64_t stroff, uint64_t strsz)
{
	if (count > RS_ELF_SYMBOLS_MAX)
		count = RS_ELF_SYMBOLS_MAX;
	uint64_t whole = (im->len - symoff) / syment; /* entries the file holds from SYMOFF */
	if (count > whole)
		count = whole;
	if (count < 2 || !load(im, symoff, count * syment))
		return;
	for (uint64_t i = 1; i < count; i++) { /* entry 0 is the null symbol */
		uint64_t at = symoff + i * syment;
		if (!in(im, at, syment))
			break;
		uint64_t name = get(im, at, 4);
		unsigned info = (unsigned)get(im, at + (im->is64 ? 4 : 12), 1);
		uint64_t shndx = im->is64 ? get(im, at + 6, 2) : get(im, at + 14, 2);
		unsigned type = info & 0xf, bind = info >> 4;
		if (shndx == 0 || (type != 2 && type != 10) || (bind != 1 && bind != 2) || name >= strsz)
			continue;
		char *s = string_at(im, stroff + name, stroff + strsz);
		if (s)
			*(char **)rs_vec_push(&d->exports) = s;
	}
}

/* Parses the image IM into D. */
static int parse(image *im, rs_elf_dyn *d, char *err, size_t errsize)
{
	unsigned char ident[6];
	if (im->len < 52 || !load(im, 0, im->len < HEAD_READ ? im->len : HEAD_READ)) {
		fail(err, errsize, _("not an ELF file"));
		return -1;
	}
	for (unsigned i = 0; i < sizeof(ident); i++)
		ident[i] = (unsigned char)get(im, i, 1);
	if (memcmp(ident, "\177ELF", 4) != 0) {
		fail(err, errsize, _("not an ELF file"));
		return -1;
	}
	if ((ident[4] != 1 && ident[4] != 2) || (ident[5] != 1 && ident[5] != 2)) {
		fail(err, errsize, _("unknown ELF class or byte order"));
		return -1;
	}
	im->is64 = d->is64 = ident[4] == 2;
	im->be = ident[5] == 2;
	if (im->is64 && im->len < 64) {
		fail(err, errsize, _("ELF header cut short"));
		return -1;
	}
	d->type = (unsigned)get(im, 16, 2);
	d->program = d->type == 2;
	d->machine = (unsigned)get(im, 18, 2);
	uint64_t phoff = im->is64 ? get(im, 32, 8) : get(im, 28, 4);
	uint64_t phentsize = get(im, im->is64 ? 54 : 42, 2), phnum = get(im, im->is64 ? 56 : 44, 2);
	uint64_t need = im->is64 ? 56 : 32;
	if (phnum == 0 || phnum > PHNUM_MAX || phentsize < need || !within(im, phoff, phnum * phentsize)) {
		fail(err, errsize, _("program headers missing or outside the file"));
		return -1;
	}
	if (!load(im, phoff, phnum * phentsize)) {
		fail(err, errsize, _("program headers could not be read"));
		return -1;
	}
	uint64_t dyn_off = 0, dyn_size = 0;
	bool have_dyn = false;
	for (uint64_t i = 0; i < phnum; i++) {
		uint64_t ph = phoff + i * phentsize;
		uint64_t type = get(im, ph, 4);
		uint64_t off = im->is64 ? get(im, ph + 8, 8) : get(im, ph + 4, 4);
		uint64_t vaddr = im->is64 ? get(im, ph + 16, 8) : get(im, ph + 8, 4);
		uint64_t filesz = im->is64 ? get(im, ph + 32, 8) : get(im, ph + 16, 4);
		if (type == PT_LOAD_ && im->nloads < PHNUM_MAX) {
			im->loads[im->nloads].vaddr = vaddr;
			im->loads[im->nloads].off = off;
			im->loads[im->nloads].filesz = filesz;
			im->nloads++;
		} else if (type == PT_DYNAMIC_ && !have_dyn) {
			have_dyn = true;
			dyn_off = off;
			dyn_size = filesz;
		} else if (type == PT_INTERP_ && !d->interp && within(im, off, filesz)) {
			size_t keep = im->next; /* a bad one is not kept: the next may be good */
			if (load(im, off, filesz < NAME_MAX_LEN ? filesz : NAME_MAX_LEN))
				d->interp = string_at(im, off, off + filesz);
			if (!d->interp)
				drop_since(im, keep);
		}
	}
	if (!have_dyn) {
		fail(err, errsize, _("no dynamic table (a static program or not a library)"));
		return -1;
	}
	uint64_t dent = im->is64 ? 16 : 8;
	if (!within(im, dyn_off, dyn_size) || dyn_size < dent) {
		fail(err, errsize, _("dynamic table outside the file"));
		return -1;
	}
	uint64_t ndyn = dyn_size / dent < DYN_MAX ? dyn_size / dent : DYN_MAX;
	if (!load(im, dyn_off, ndyn * dent)) {
		fail(err, errsize, _("dynamic table could not be read"));
		return -1;
	}
	uint64_t strtab = 0, symtab = 0, strsz = 0, syment = im->is64 ? 24 : 16, hash = 0, gnu_hash = 0;
	uint64_t needed[NEEDED_MAX], soname = UINT64_MAX;
	size_t nneeded = 0;
	bool have_strtab = false, have_symtab = false;
	for (uint64_t i = 0; i < ndyn; i++) {
		uint64_t at = dyn_off + i * dent;
		uint64_t tag = get(im, at, im->is64 ? 8 : 4), val = get(im, at + dent / 2, im->is64 ? 8 : 4);
		if (tag == DT_NULL_)
			break;
		switch (tag) {
		case DT_NEEDED_: if (nneeded < NEEDED_MAX) needed[nneeded++] = val; break;
		case DT_HASH_: hash = val; break;
		case DT_STRTAB_: strtab = val; have_strtab = true; break;
		case DT_SYMTAB_: symtab = val; have_symtab = true; break;
		case DT_STRSZ_: strsz = val; break;
		case DT_SYMENT_: syment = val; break;
		case DT_SONAME_: soname = val; break;
		default:
			if (tag == DT_GNU_HASH_)
				gnu_hash = val;
			else if (tag == DT_FLAGS_1_ && (val & DF_1_PIE_))
				d->program = true;
			break;
		}
	}
	uint64_t stroff = 0;
	if (!have_strtab || strsz == 0 || !offset_of(im, strtab, 1, &stroff)) {
		fail(err, errsize, _("string table missing or outside the file"));
		return -1;
	}
	if (strsz > im->len - stroff)
		strsz = im->len - stroff;
	if (!load(im, stroff, strsz)) {
		fail(err, errsize, _("string table could not be read"));
		return -1;
	}
	for (size_t i = 0; i < nneeded; i++) {
		char *s = needed[i] < strsz ? string_at(im, stroff + needed[i], stroff + strsz) : NULL;
		if (s)
			*(char **)rs_vec_push(&d->needed) = s;
	}
	if (soname < strsz)
		d->soname = string_at(im, stroff + soname, stroff + strsz);
	uint64_t symoff = 0;
	if (!have_symtab || syment < (im->is64 ? 24u : 16u) || syment > 256 || !offset_of(im, symtab, syment, &symoff))
		return 0; /* no symbols: nothing exported */
	uint64_t count = gnu_hash ? count_gnu(im, gnu_hash) : 0;
	if (count == 0 && hash)
		count = count_sysv(im, hash);
	if (count == 0 && strtab > symtab) /* the usual layout: the names follow the symbols */
		count = (strtab - symtab) / syment;
	read_symbols(im, d, symoff, count, syment, stroff, strsz);
	return 0;
}

int rs_elf_dyn_parse(const unsigned char *data, size_t len, rs_elf_dyn *d, char *err, size_t errsize)
{
	image *im = rs_calloc(1, sizeof(*im));
	im->fd = -1;
	im->len = len;
	/* the buffer is only read: the extent's pointer is not const for the file case's sake */
	im->ext[0] = (extent){ .off = 0, .len = len, .p = (unsigned char *)(uintptr_t)data };
	im->next = 1;
	int rc = parse(im, d, err, errsize);
	free(im);
	return rc;
}

/* The SHA-256 of the first LEN bytes of FD into OUT, read in chunks;
 * false on a read error. */
static bool digest_fd(int fd, uint64_t len, char out[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *buf = rs_malloc(DIGEST_CHUNK);
	bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	uint64_t got = 0;
	while (ok && got < len) {
		size_t want = len - got < DIGEST_CHUNK ? (size_t)(len - got) : DIGEST_CHUNK;
		ssize_t r = pread(fd, buf, want, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break; /* the file shrank: the digest is of what is there */
		ok = EVP_DigestUpdate(ctx, buf, (size_t)r);
		got += (uint64_t)r;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	ok = ok && EVP_DigestFinal_ex(ctx, md, &n) && n == 32;
	if (ok)
		rs_hex_encode(md, 32, out);
	free(buf);
	EVP_MD_CTX_free(ctx);
	return ok;
}

int rs_elf_dyn_read_fd(int fd, rs_elf_dyn *d, bool digest, char *err, size_t errsize)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "%s", _("not a regular file"));
		return -1;
	}
	image *im = rs_calloc(1, sizeof(*im));
	uint64_t im_len = (unsigned long long)st.st_size < RS_ELF_READ_MAX ? (uint64_t)st.st_size : RS_ELF_READ_MAX;
	im->fd = fd;
	im->len = im_len;
	int rc = parse(im, d, err, errsize);
	d->bytes_read = (size_t)im->read;
	drop_since(im, 0);
	free(im);
	if (rc == 0 && digest && !digest_fd(fd, im_len, d->sha256)) {
		snprintf(err, errsize, "%s", _("read error while computing its SHA-256"));
		rc = -1;
	}
	return rc;
}

int rs_elf_dyn_read(const rs_host *h, const char *path, rs_elf_dyn *d, char *err, size_t errsize)
{
	int fd = rs_host_open(h, path, RS_OPEN_FILE, NULL);
	if (fd < 0) {
		snprintf(err, errsize, _("%s: cannot open: %s"), path, strerror(errno));
		return -1;
	}
	char why[160] = "";
	int rc = rs_elf_dyn_read_fd(fd, d, true, why, sizeof(why));
	close(fd);
	if (rc < 0)
		snprintf(err, errsize, "%s: %s", path, why);
	return rc;
}

bool rs_elf_dyn_exports(const rs_elf_dyn *d, const char *name)
{
	for (size_t i = 0; i < d->exports.len; i++)
		if (strcmp(*(char **)rs_vec_at(&d->exports, i), name) == 0)
			return true;
	return false;
}
