/*
 * bytes.h — a byte count as a person reads it: "512 B", "1.5 KiB",
 * "734.0 MiB" (powers of 1024, IEC units). One formatter for the progress
 * line and the reports.
 */
#ifndef RS_CORE_BYTES_H
#define RS_CORE_BYTES_H

#include <stddef.h>

/* BYTES (negative counts as 0) into BUF: whole bytes below 1 KiB, else one
 * decimal and the largest unit that keeps the number at or above 1. */
void rs_format_bytes(double bytes, char *buf, size_t size);

#endif
