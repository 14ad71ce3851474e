import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '@chatbox/server-config';
import { AccountsService } from './accounts.service';
import { JwtStrategy } from './jwt.strategy';
import { JwtAuthGuard } from './jwt-auth.guard';
import { SessionRepository } from './session.repository';
import { JWT_ALGORITHM, TokenService } from './token.service';
import { UserRepository } from './user.repository';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: JWT_ALGORITHM },
        verifyOptions: { algorithms: [JWT_ALGORITHM] },
      }),
    }),
  ],
  providers: [AccountsService, UserRepository, SessionRepository, TokenService, JwtStrategy, JwtAuthGuard],
  exports: [AccountsService, TokenService, JwtAuthGuard, UserRepository],
})
export class AccountsModule {}
