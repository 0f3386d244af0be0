/* main.c — placeholder until the commands are wired. */
#include <stdio.h>
int main(void)
{
	puts("rasoat");
	return 0;
}
