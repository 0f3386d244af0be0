/*
 * sockdiag.c — TCP and UDP sockets listed by the kernel over netlink
 * sock_diag (see sockdiag.h). The socket, sendmsg, recvmsg and close calls
 * are raw (core/rawsys.h), so a library preloaded into rasoat cannot edit
 * the answers. Asking for UDP may make the kernel load its udp_diag module,
 * as `ss -u` does.
 */
#include "rootkit/sockdiag.h"
#include "core/rawsys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define DUMP_MAX_BUFFERS 65536   /* 32 KiB each: 2 GiB of answers at most */

static void format_addr(int family, const uint32_t *addr, unsigned port, char *out, size_t size)
{
	char text[INET6_ADDRSTRLEN] = "?";
	inet_ntop(family, addr, text, sizeof(text));
	if (family == AF_INET6)
		snprintf(out, size, "[%s]:%u", text, port);
	else
		snprintf(out, size, "%s:%u", text, port);
}

int rs_sockdiag_parse(const unsigned char *buf, size_t len, const char *proto, rs_vec *out)
{
	size_t at = 0;
	while (len - at >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		memcpy(&h, buf + at, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - at)
			return -1;
		if (h.nlmsg_type == NLMSG_DONE)
			return 1;
		if (h.nlmsg_type == NLMSG_ERROR)
			return -1;
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				return -1;
			struct inet_diag_msg m;
			memcpy(&m, buf + at + NLMSG_HDRLEN, sizeof(m));
			if (m.idiag_family == AF_INET || m.idiag_family == AF_INET6) {
				rs_diag_socket *s = rs_vec_push(out);
				memset(s, 0, sizeof(*s));
				snprintf(s->proto, sizeof(s->proto), "%s", proto);
				s->port = ntohs(m.id.idiag_sport);
				format_addr(m.idiag_family, m.id.idiag_src, s->port, s->local, sizeof(s->local));
				format_addr(m.idiag_family, m.id.idiag_dst, ntohs(m.id.idiag_dport), s->remote,
					    sizeof(s->remote));
				s->state = m.idiag_state;
				s->inode = m.idiag_inode;
			}
		}
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		if (step > len - at)
			break;
		at += step;
	}
	return 0;
}

/* One dump: every socket of FAMILY and PROTOCOL, in every state. */
static int dump(int fd, int family, int protocol, const char *proto, rs_vec *out)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = (uint8_t)protocol;
	req.r.idiag_states = ~0u;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct iovec iov = { &req, sizeof(req) };
	struct msghdr msg = { .msg_name = &kernel, .msg_namelen = sizeof(kernel), .msg_iov = &iov, .msg_iovlen = 1 };
	if (rs_raw_call(SYS_sendmsg, fd, (long)(uintptr_t)&msg, 0, 0) < 0)
		return -1;
	static _Thread_local unsigned char buf[32768] __attribute__((aligned(8)));
	for (int i = 0; i < DUMP_MAX_BUFFERS; i++) {
		struct iovec riov = { buf, sizeof(buf) };
		struct msghdr rmsg = { .msg_iov = &riov, .msg_iovlen = 1 };
		long n = rs_raw_call(SYS_recvmsg, fd, (long)(uintptr_t)&rmsg, 0, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (rmsg.msg_flags & MSG_TRUNC))
			return -1;
		int rc = rs_sockdiag_parse(buf, (size_t)n, proto, out);
		if (rc != 0)
			return rc > 0 ? 0 : -1;
	}
	return -1;
}

int rs_sockdiag_list(rs_vec *out)
{
	static const struct {
		int family, protocol;
		const char *proto;
	} kinds[] = {
		{ AF_INET, IPPROTO_TCP, "tcp" },
		{ AF_INET6, IPPROTO_TCP, "tcp6" },
		{ AF_INET, IPPROTO_UDP, "udp" },
		{ AF_INET6, IPPROTO_UDP, "udp6" },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int fd = (int)rs_raw_call(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG, 0);
		if (fd < 0)
			return -1;
		size_t before = out->len;
		int rc = dump(fd, kinds[i].family, kinds[i].protocol, kinds[i].proto, out);
		rs_raw_close(fd);
		/* an IPv6 dump fails where IPv6 is off: the other kinds still count */
		if (rc < 0 && kinds[i].family == AF_INET)
			return -1;
		if (rc < 0)
			out->len = before;
	}
	return 0;
}
